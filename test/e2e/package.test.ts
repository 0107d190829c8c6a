/**
 * Packaging: `npm run package` builds the .vsix, which holds only the bundles, the schemas
 * and the manifest, and code-server installs it with `--install-extension`.
 *
 * The package is built in a temporary copy of the working tree (sharing node_modules through
 * a symlink), because its production build rewrites client/out and server/out, which the
 * LSP and CLI tests running next to this one are using.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const ROOT = path.resolve(__dirname, '..', '..');
const VSIX_NAME = 'gitops-iac.vsix';

/** What the test uses of scripts/code-server.mjs (plain JavaScript, so typed here). */
interface CodeServerLauncher {
  assertCodeServerInstalled(): void;
  extensionFolderName(extensionPath?: string): string;
  installVsix(vsixPath: string, extensionsDir: string): Promise<string>;
  listExtensions(extensionsDir: string): Promise<string[]>;
}

function loadLauncher(): Promise<CodeServerLauncher> {
  return import(pathToFileURL(path.join(ROOT, 'scripts', 'code-server.mjs')).href) as Promise<CodeServerLauncher>;
}

/** Top-level paths of the working tree that the packaging copy leaves out. */
const NOT_COPIED = new Set(['.git', 'node_modules', '.tools', '.bench', '.scratch', 'test-output', 'out', 'client/out', 'server/out', VSIX_NAME]);

function copyWorkingTree(destination: string): void {
  fs.cpSync(ROOT, destination, {
    recursive: true,
    filter: (source) => !NOT_COPIED.has(path.relative(ROOT, source).split(path.sep).join('/')),
  });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(destination, 'node_modules'), 'dir');
}

function run(command: string, args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve(stdout + stderr);
    });
  });
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

/** Lists a zip file's entries from its central directory (no zip64: a .vsix is small). */
function zipEntries(zip: Buffer): ZipEntry[] {
  const END_SIGNATURE = 0x06054b50;
  let end = -1;
  // The end-of-central-directory record is 22 bytes plus a comment of up to 65535 bytes.
  for (let offset = zip.length - 22; offset >= Math.max(0, zip.length - 22 - 0xffff); offset--) {
    if (zip.readUInt32LE(offset) === END_SIGNATURE) {
      end = offset;
      break;
    }
  }
  assert.ok(end >= 0, 'not a zip file: no end of central directory record');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index++) {
    assert.equal(zip.readUInt32LE(offset), 0x02014b50, `bad central directory header for entry ${index}`);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    entries.push({
      name: zip.toString('utf8', offset + 46, offset + 46 + nameLength),
      method: zip.readUInt16LE(offset + 10),
      compressedSize: zip.readUInt32LE(offset + 20),
      localHeaderOffset: zip.readUInt32LE(offset + 42),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function readZipEntry(zip: Buffer, entry: ZipEntry): Buffer {
  const header = entry.localHeaderOffset;
  assert.equal(zip.readUInt32LE(header), 0x04034b50, `bad local header for ${entry.name}`);
  const start = header + 30 + zip.readUInt16LE(header + 26) + zip.readUInt16LE(header + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return data;
  assert.equal(entry.method, 8, `${entry.name}: unexpected compression method ${entry.method}`);
  return inflateRawSync(data);
}

describe('npm run package', () => {
  let stage: string;
  let vsix: string;
  let entries: ZipEntry[];
  let zip: Buffer;

  before(async () => {
    stage = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-package-'));
    copyWorkingTree(stage);
    await run('npm', ['run', 'package', '--silent'], stage);
    vsix = path.join(stage, VSIX_NAME);
    zip = fs.readFileSync(vsix);
    entries = zipEntries(zip);
  });

  after(() => {
    if (stage) fs.rmSync(stage, { recursive: true, force: true });
  });

  it('produces a small .vsix holding the three bundles and the schemas', () => {
    const names = entries.map((entry) => entry.name);
    for (const required of [
      'extension/package.json',
      'extension/client/out/extension.js',
      'extension/server/out/server.js',
      'extension/server/out/cli.js',
      'extension/schemas/index.json',
      'extension/schemas/kubernetes/v1.36.json',
    ]) {
      assert.ok(names.includes(required), `${required} is missing from the .vsix; it has:\n${names.join('\n')}`);
    }
    // Everything is bundled by esbuild: no dependencies, sources, tests or source maps ship.
    const unwanted = names.filter((name) =>
      /(^|\/)node_modules\//.test(name) ||
      /\.ts$/.test(name) ||
      /\.map$/.test(name) ||
      name.startsWith('extension/test/') ||
      name.startsWith('extension/client/src/') ||
      name.startsWith('extension/server/src/') ||
      name.startsWith('extension/examples/') ||
      name.startsWith('extension/scripts/'),
    );
    assert.deepEqual(unwanted, [], 'the .vsix holds files it should not');
    // 0.75 MB when this was written; a jump means something unintended got in.
    assert.ok(zip.length < 3 * 1024 * 1024, `the .vsix is ${zip.length} bytes`);
  });

  it('ships every file the production build writes next to the bundles', () => {
    // Type-checker output (out/tsc) and source maps stay behind; anything else the build
    // emits into client/out or server/out (bundles, .wasm) is needed at run time.
    const names = new Set(entries.map((entry) => entry.name));
    const missing: string[] = [];
    for (const folder of ['client/out', 'server/out']) {
      for (const dirent of fs.readdirSync(path.join(stage, folder), { withFileTypes: true })) {
        if (!dirent.isFile() || dirent.name.endsWith('.map')) continue;
        const name = `${folder}/${dirent.name}`;
        if (!names.has(`extension/${name}`)) missing.push(name);
      }
    }
    assert.deepEqual(missing, [], 'built files missing from the .vsix: re-include them in .vscodeignore');
  });

  it('ships a manifest whose entry point is in the package', () => {
    const entry = entries.find((each) => each.name === 'extension/package.json');
    assert.ok(entry);
    const manifest = JSON.parse(readZipEntry(zip, entry).toString('utf8')) as { main: string; publisher: string; name: string };
    assert.equal(`${manifest.publisher}.${manifest.name}`, 'gitops-iac.gitops-iac');
    const main = `extension/${path.posix.normalize(manifest.main)}`;
    assert.ok(entries.some((each) => each.name === main), `main ${manifest.main} is not in the .vsix`);
  });

  it('installs into code-server with --install-extension', async () => {
    // Fails (never skips) without code-server, saying how to install it.
    const launcher = await loadLauncher();
    launcher.assertCodeServerInstalled();
    const extensionsDir = path.join(stage, 'installed-extensions');
    await launcher.installVsix(vsix, extensionsDir);

    const folder = path.join(extensionsDir, launcher.extensionFolderName(ROOT));
    const installed = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')) as { version: string };
    for (const file of ['client/out/extension.js', 'server/out/server.js', 'server/out/cli.js', 'schemas/index.json']) {
      assert.ok(fs.existsSync(path.join(folder, file)), `${file} is missing from the installed extension`);
    }
    assert.deepEqual(await launcher.listExtensions(extensionsDir), [`gitops-iac.gitops-iac@${installed.version}`]);
  });
});
