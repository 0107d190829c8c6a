/**
 * Generates `schemas/ansible/modules/ansible.builtin.json` (the argument specs of every
 * ansible.builtin module) and its PROVENANCE.md from the installed ansible-core.
 *
 *   npx tsx scripts/generate-ansible-modules.ts [--out DIR] [--check]   (npm run generate:ansible-modules)
 *
 * --out DIR  the schemas folder to write into (default: <repo>/schemas)
 * --check    write nothing; exit 1 if a generated file is missing or differs
 *
 * Runs the real `ansible-doc` (`--list --json`, then `--json` for all modules at once) and, with
 * the Python interpreter that runs ansible-doc, scripts/ansible-argument-specs.py, which records
 * each module's real `argument_spec` (see that file). The output depends on the installed
 * ansible-core version only: keys sorted, no timestamps.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ModuleSpec } from '../server/src/ansible/types';
import { ANSIBLE_BUILTIN_MODULES_FILE, type AnsibleModuleBundle } from '../server/src/schemas/bundle';
import { convertAnsibleDocs } from '../server/src/schemas/ansibleDoc';
import { findOnPath } from '../server/src/node/findOnPath';
import { toJson } from './generate-schemas';

const repoRoot = path.resolve(__dirname, '..');
const ARGUMENT_SPEC_HELPER = path.join(__dirname, 'ansible-argument-specs.py');
/** Debian's copy of the GPL-3.0 text, the licence of ansible-core. */
const GPL_TEXT = '/usr/share/common-licenses/GPL-3';
const GPL_LICENSE_FILE = 'LICENSES/GPL-3.0.txt';
const PROVENANCE_FILE = 'ansible/modules/PROVENANCE.md';
const MAX_BUFFER = 256 * 1024 * 1024;

function run(file: string, args: string[]): string {
  return execFileSync(file, args, { encoding: 'utf8', maxBuffer: MAX_BUFFER, env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `ansible-doc [core 2.14.18]` → `2.14.18`. */
function ansibleVersion(): string {
  const match = /\[core ([^\]]+)\]/.exec(run('ansible-doc', ['--version']));
  if (!match?.[1]) throw new Error('ansible-doc --version did not print "[core X.Y.Z]"');
  return match[1];
}

/** The interpreter named on ansible-doc's `#!` line: the one that can import `ansible`. */
function ansiblePython(): string {
  const script = findOnPath('ansible-doc');
  if (!script) throw new Error('ansible-doc is not on the PATH: install ansible-core (bash scripts/install-ansible.sh)');
  const shebang = /^#!\s*(\S+)/.exec(readFileSync(script, 'utf8').split('\n', 1)[0] ?? '');
  if (!shebang?.[1]) throw new Error(`${script} has no #! line naming its Python`);
  return shebang[1];
}

interface Generated {
  files: Map<string, Buffer>;
  bundle: AnsibleModuleBundle;
}

function generate(): Generated {
  const version = ansibleVersion();
  const listed = Object.keys(JSON.parse(run('ansible-doc', ['--list', '--json', '-t', 'module', 'ansible.builtin'])) as object)
    .filter((fqcn) => fqcn.startsWith('ansible.builtin.') && !fqcn.startsWith('ansible.builtin._'))
    .sort();
  const docs = JSON.parse(run('ansible-doc', ['--json', '-t', 'module', ...listed])) as unknown;
  const shortNames = listed.map((fqcn) => fqcn.slice('ansible.builtin.'.length));
  const recorded = JSON.parse(run(ansiblePython(), [ARGUMENT_SPEC_HELPER, ...shortNames])) as Record<string, unknown>;
  const argumentSpecs = Object.fromEntries(Object.entries(recorded).map(([name, spec]) => [`ansible.builtin.${name}`, spec]));
  const { modules, problems } = convertAnsibleDocs(docs, argumentSpecs);
  if (problems.length) throw new Error(problems.join('\n'));

  const bundle: AnsibleModuleBundle = { ansibleVersion: version, modules };
  const files = new Map<string, Buffer>();
  files.set(ANSIBLE_BUILTIN_MODULES_FILE, Buffer.from(toJson(bundle), 'utf8'));
  files.set(GPL_LICENSE_FILE, readFileSync(GPL_TEXT));
  const withSpec = modules.filter((module) => argumentSpecs[module.fqcn]).map((module) => module.fqcn);
  files.set(PROVENANCE_FILE, Buffer.from(provenance(bundle, withSpec, files), 'utf8'));
  return { files, bundle };
}

function names(modules: ModuleSpec[]): string {
  return modules.map((module) => `\`${module.fqcn.replace('ansible.builtin.', '')}\``).join(', ');
}

function provenance(bundle: AnsibleModuleBundle, withSpec: string[], files: Map<string, Buffer>): string {
  const { modules } = bundle;
  const docsOnly = modules.filter((module) => !withSpec.includes(module.fqcn));
  const constrained = modules.filter((m) => m.mutuallyExclusive || m.requiredOneOf || m.requiredTogether || m.requiredIf);
  const outputs = [ANSIBLE_BUILTIN_MODULES_FILE, GPL_LICENSE_FILE].map((relative) => {
    const data = files.get(relative) as Buffer;
    return `| \`${relative}\` | ${data.length} | \`${sha256(data)}\` |`;
  });
  return `# Provenance of \`schemas/ansible/modules/\`

\`ansible.builtin.json\` is written by \`scripts/generate-ansible-modules.ts\` (\`npm run generate:ansible-modules\`)
from **ansible-core ${bundle.ansibleVersion}** as installed here (Debian \`ansible-core\`), never by hand. It lists
the ${modules.length} modules of \`ansible-doc --list --json -t module ansible.builtin\` (\`_include\`, internal and
deprecated, left out), in the \`ModuleSpec\` format of \`server/src/ansible/types.ts\`.

## Where each field comes from

- **\`ansible-doc --json -t module <all modules>\`** (the modules' DOCUMENTATION blocks): \`shortDescription\`; the
  first sentence of each option's description (markup such as \`C(...)\` removed); the options themselves for the
  ${docsOnly.length} modules that are documentation for an action plugin and have no argument spec to read
  (${names(docsOnly)}).
- **The modules' real \`argument_spec\`** (${withSpec.length} modules), recorded by \`scripts/ansible-argument-specs.py\`: it
  imports each module under \`ansible.modules\` with \`AnsibleModule.__init__\` replaced by a recorder that keeps the
  keyword arguments and stops \`main()\` there, before the module reads input or acts. From it: each option's
  \`type\`, \`required\`, \`choices\`, \`default\`, \`aliases\`, \`elements\` and suboptions (which win over the
  documentation where both exist), options the documentation leaves out, the file options of
  \`add_file_common_args\` modules, and \`mutuallyExclusive\`, \`requiredOneOf\`, \`requiredTogether\` and
  \`requiredIf\` (${constrained.length} modules have some), which \`ansible-doc\` does not show.
- Options whose names start with \`_\` (\`_raw_params\`, \`_original_basename\`, …) are set by Ansible itself and left out.
- \`freeForm\`: the module documents a \`free_form\`, \`free-form\` or \`key_value\` pseudo-option (left out of
  \`options\`): ${names(modules.filter((m) => m.freeForm))}.
- \`anyOptions\`: \`set_fact\` takes any variable name as an argument, and \`add_host\` any host variable, which
  neither source says; \`server/src/schemas/ansibleDoc.ts\` names those two, and the argument checks accept any name there.
- An option documented under a name that the argument spec has as an alias of another option (apt documents
  \`name\`, its argument spec has \`package\` with the alias \`name\`) is listed once, under the argument spec's name.

## Licence

ansible-core is **GPL-3.0-or-later** (the text is in \`../../LICENSES/GPL-3.0.txt\`, copied from Debian's
\`${GPL_TEXT}\`). This file holds facts about the modules' interfaces (option names, types, choices, defaults,
aliases, constraints) and one short sentence of documentation per module and option, taken from ansible-core's
GPL-3.0 documentation strings. No ansible-core code is included or linked: the extension only reads this JSON, and
runs \`ansible-doc\` on the user's machine as a separate program. Whether these short excerpts make the file subject to
the GPL has not been decided by a lawyer; a human should confirm it before shipping, or the descriptions can be
dropped (the argument checks do not need them).

## Outputs

| file | size (bytes) | sha256 |
|---|---:|---|
${outputs.join('\n')}
`;
}

function main(): void {
  let outDir = path.join(repoRoot, 'schemas');
  let check = false;
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--check') check = true;
    else if (argv[i] === '--out' && argv[i + 1]) outDir = path.resolve(argv[++i] as string);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  const { files, bundle } = generate();
  let stale = 0;
  for (const [relative, data] of files) {
    const target = path.join(outDir, relative);
    if (existsSync(target) && readFileSync(target).equals(data)) continue;
    if (check) {
      stale++;
      console.error(`stale: ${path.relative(process.cwd(), target)}`);
      continue;
    }
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, data);
    console.log(`wrote ${path.relative(process.cwd(), target)} (${data.length} bytes)`);
  }
  if (stale) {
    console.error(`${stale} file(s) out of date for ansible-core ${bundle.ansibleVersion}: run npm run generate:ansible-modules`);
    process.exit(1);
  }
  console.log(`${bundle.modules.length} ansible.builtin modules of ansible-core ${bundle.ansibleVersion}: up to date`);
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
