// `npm start` (after `npm run build`): opens the extension in a real VS Code, code-server
// in the browser, on examples/, and runs until Ctrl+C. Installs code-server first if needed.
// The old demo, the CLI over examples/, is `npm run check:examples`.
//
// Options: --port N (default: a free port; PORT in the environment works too),
//          --verbose (print code-server's own output).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isCodeServerInstalled, REPO_ROOT, startCodeServer, workspaceUrl } from './code-server.mjs';

const { values } = parseArgs({
  options: { port: { type: 'string' }, verbose: { type: 'boolean', default: false } },
});
const portText = values.port ?? process.env.PORT;
const port = portText ? Number(portText) : undefined;
if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
  console.error(`npm start: bad port ${portText}`);
  process.exit(2);
}

if (!isCodeServerInstalled()) {
  console.log('code-server is not installed yet: running scripts/install-code-server.sh (1-2 minutes, once).');
  console.log('It installs missing Debian packages (libkrb5-dev ripgrep chromium) and code-server into .tools/code-server/.');
  const install = spawnSync('bash', [join(REPO_ROOT, 'scripts', 'install-code-server.sh')], { stdio: 'inherit' });
  if (install.status !== 0) {
    console.error('npm start: installing code-server failed (see above). `npm run check:examples` runs the CLI without it.');
    process.exit(1);
  }
}

const examples = join(REPO_ROOT, 'examples');
console.log('Starting code-server with the GitOps IaC extension from this folder…');
let server;
try {
  server = await startCodeServer({
    workspace: examples,
    extensionDevelopmentPath: REPO_ROOT,
    port,
    onOutput: values.verbose ? (line) => console.log(`[code-server] ${line}`) : undefined,
  });
} catch (error) {
  console.error(`npm start: ${error.message}`);
  process.exit(1);
}

// One manifest opens with the folder: the server reports problems for open files, so the
// Problems panel has something to show right away.
const firstFile = 'apps/worker/deployment.yaml';
console.log(`
GitOps IaC is running in VS Code at ${server.workspaceUrl}

Open that address in a browser (the workbench with examples/ open; no password). VS Code asks
whether you trust the folder: either answer works, files are validated in Restricted Mode too.
Open a YAML file (or this address, which also opens examples/${firstFile}):
  ${workspaceUrl(server.url, examples, { openFile: firstFile })}
then the Problems panel (Ctrl+Shift+M) lists what GitOps IaC found.

Press Ctrl+C to stop.`);

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping code-server…`);
  await server.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGHUP', () => void shutdown('SIGHUP'));

const { code, signal } = await server.exited;
if (!stopping) {
  console.error(`npm start: code-server exited on its own (exit code ${code}, signal ${signal}). Its last lines:\n${server.output()}`);
  await server.stop();
  process.exit(1);
}
