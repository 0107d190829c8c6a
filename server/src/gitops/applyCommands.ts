/**
 * Recognises shell command lines that change live infrastructure by hand (`kubectl apply`,
 * `terraform apply`, `helm upgrade`, `ansible-playbook` without `--check`, …), so the editor
 * can point at the GitOps flow instead. Pure: it reads the text of a command line as bash
 * would split it (quotes, escapes, `&&`/`||`/`;`/`|` chains, env prefixes, `sudo`), and
 * never runs anything.
 */

export type ApplyTool = 'kubectl' | 'terraform' | 'helm' | 'ansible-playbook';

export interface ApplyCommand {
  tool: ApplyTool;
  /** The subcommand that changes things (`apply`, `destroy`, `upgrade`, …); `run` for ansible-playbook. */
  action: string;
  /** The simple command as typed, words joined by one space. */
  text: string;
}

/** Every apply-like simple command in `commandLine`, in order. */
export function findApplyCommands(commandLine: string): ApplyCommand[] {
  const found: ApplyCommand[] = [];
  for (const words of splitSimpleCommands(commandLine)) {
    const command = classifySimpleCommand(words);
    if (command) found.push(command);
  }
  return found;
}

// ---------------------------------------------------------------------------------------
// Splitting a command line into simple commands (lists of words)
// ---------------------------------------------------------------------------------------

/** Operators that end a simple command: `&&`, `||`, `;`, `|`, `&`, newlines, parentheses, braces' neighbours. */
const SEPARATOR_CHARACTERS = new Set([';', '|', '&', '\n', '(', ')', '`']);

/**
 * Splits like bash's tokenizer, as far as deciding what runs needs: quotes and backslashes
 * join text into one word, unquoted separators end the command, `#` at the start of a word
 * starts a comment, `$(…)` opens a nested command. Unbalanced quotes run to the end of the
 * line (what the user typed is still judged, never an exception).
 */
export function splitSimpleCommands(commandLine: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };

  const text = commandLine.replace(/\\\r?\n/g, '');
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '\\') {
      if (index + 1 < text.length) word += text[++index];
      inWord = true;
    } else if (char === "'") {
      const end = text.indexOf("'", index + 1);
      const stop = end < 0 ? text.length : end;
      word += text.slice(index + 1, stop);
      inWord = true;
      index = stop;
    } else if (char === '"') {
      index = readDoubleQuoted(text, index + 1, (part) => (word += part));
      inWord = true;
    } else if (char === '$' && text[index + 1] === '(') {
      // A command substitution runs a command of its own; what it prints becomes a word here.
      endCommand();
      index++;
    } else if (SEPARATOR_CHARACTERS.has(char)) {
      endCommand();
    } else if (char === ' ' || char === '\t' || char === '\r') {
      endWord();
    } else if (char === '#' && !inWord) {
      const newline = text.indexOf('\n', index);
      index = newline < 0 ? text.length : newline - 1;
    } else {
      word += char;
      inWord = true;
    }
  }
  endCommand();
  return commands.map(dropGroupingWords).filter((command) => command.length > 0);
}

/** Reads a double-quoted string starting after its quote; returns the index of the closing quote. */
function readDoubleQuoted(text: string, start: number, append: (part: string) => void): number {
  let index = start;
  for (; index < text.length && text[index] !== '"'; index++) {
    // Inside double quotes a backslash escapes only these; elsewhere it stays as typed.
    if (text[index] === '\\' && index + 1 < text.length && '"\\$`'.includes(text[index + 1])) index++;
    append(text[index]);
  }
  return index;
}

/** `{ cmd; }` and `! cmd` group or negate a command; the words themselves run nothing. */
function dropGroupingWords(words: string[]): string[] {
  let start = 0;
  while (start < words.length && (words[start] === '{' || words[start] === '!')) start++;
  let end = words.length;
  while (end > start && words[end - 1] === '}') end--;
  return words.slice(start, end);
}

// ---------------------------------------------------------------------------------------
// Deciding what one simple command runs
// ---------------------------------------------------------------------------------------

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * Commands that run the command after them. Each lists its options that take a value, so
 * that value is not mistaken for the program (`sudo -u root kubectl …`).
 */
const WRAPPERS: Record<string, ReadonlySet<string>> = {
  sudo: new Set(['-u', '--user', '-g', '--group', '-h', '--host', '-p', '--prompt', '-C', '--close-from', '-D', '--chdir', '-r', '--role', '-t', '--type', '-U', '--other-user', '-T', '--command-timeout']),
  doas: new Set(['-u', '-C']),
  env: new Set(['-u', '--unset', '-C', '--chdir', '-S', '--split-string']),
  time: new Set(['-f', '--format', '-o', '--output']),
  nice: new Set(['-n', '--adjustment']),
  nohup: new Set(),
  exec: new Set(['-a']),
  command: new Set(),
  builtin: new Set(),
};

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh']);

function classifySimpleCommand(words: readonly string[]): ApplyCommand | undefined {
  const rest = stripPrefixes(words);
  if (rest.length === 0) return undefined;
  const program = basename(rest[0]);
  const args = rest.slice(1);
  if (SHELLS.has(program)) return classifyShellScript(args);
  const judged = judgeProgram(program, args);
  return judged && { ...judged, text: rest.join(' ') };
}

/** Drops `A=b` assignments and wrappers (`sudo -E`, `env -i X=1`, `time`, …) before the program. */
function stripPrefixes(words: readonly string[]): readonly string[] {
  let index = 0;
  while (index < words.length) {
    const word = words[index];
    if (ASSIGNMENT.test(word)) {
      index++;
      continue;
    }
    const valueOptions = WRAPPERS[basename(word)];
    if (!valueOptions) break;
    index++;
    while (index < words.length && (words[index].startsWith('-') || ASSIGNMENT.test(words[index]))) {
      if (words[index] === '--') {
        index++;
        break;
      }
      index += valueOptions.has(words[index]) ? 2 : 1;
    }
  }
  return words.slice(index);
}

/** `bash -c 'kubectl apply -f x'` runs its script: judge the script. */
function classifyShellScript(args: readonly string[]): ApplyCommand | undefined {
  const script = args.findIndex((arg) => /^-[a-z]*c[a-z]*$/.test(arg));
  if (script < 0 || script + 1 >= args.length) return undefined;
  return findApplyCommands(args[script + 1])[0];
}

function basename(program: string): string {
  return program.slice(program.lastIndexOf('/') + 1);
}

function judgeProgram(program: string, args: readonly string[]): Omit<ApplyCommand, 'text'> | undefined {
  switch (program) {
    case 'kubectl':
    case 'oc':
      return judgeKubectl(args);
    case 'terraform':
    case 'tofu':
      return judgeTerraform(args);
    case 'helm':
      return judgeHelm(args);
    case 'ansible-playbook':
      return judgeAnsiblePlaybook(args);
    default:
      return undefined;
  }
}

/**
 * The first word that is neither an option nor an option's value: the subcommand.
 * `valueOptions` are the global options that take a separate value (`-n prod`).
 */
function subcommandOf(args: readonly string[], valueOptions: ReadonlySet<string>): { name: string; rest: readonly string[] } | undefined {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--') return index + 1 < args.length ? { name: args[index + 1], rest: args.slice(index + 2) } : undefined;
    if (!arg.startsWith('-') || arg === '-') return { name: arg, rest: args.slice(index + 1) };
    if (!arg.includes('=') && valueOptions.has(arg)) index++;
  }
  return undefined;
}

/** A client-side or server-side dry run shows what would change and changes nothing. */
function isDryRun(args: readonly string[]): boolean {
  return args.some((arg, index) => {
    if (arg === '--dry-run') return args[index + 1] !== 'none' && args[index + 1] !== '--dry-run=none';
    return arg.startsWith('--dry-run=') && arg !== '--dry-run=none' && arg !== '--dry-run=false';
  });
}

const KUBECTL_GLOBAL_VALUE_OPTIONS = new Set([
  '-n', '--namespace', '--context', '--kubeconfig', '--cluster', '--user', '-s', '--server', '--token',
  '--as', '--as-group', '--as-uid', '--request-timeout', '-v', '--v', '--cache-dir', '--certificate-authority',
  '--client-certificate', '--client-key', '--tls-server-name', '--username', '--password', '--log-dir',
  '--log-file', '--profile', '--profile-output', '--vmodule',
]);
const KUBECTL_APPLY_VERBS = new Set(['apply', 'create', 'replace', 'patch', 'edit', 'delete', 'scale']);

function judgeKubectl(args: readonly string[]): Omit<ApplyCommand, 'text'> | undefined {
  const subcommand = subcommandOf(args, KUBECTL_GLOBAL_VALUE_OPTIONS);
  if (!subcommand || !KUBECTL_APPLY_VERBS.has(subcommand.name) || isDryRun(args)) return undefined;
  // `kubectl apply view-last-applied` only reads.
  if (subcommand.name === 'apply' && subcommand.rest[0] === 'view-last-applied') return undefined;
  return { tool: 'kubectl', action: subcommand.name };
}

const TERRAFORM_APPLY_SUBCOMMANDS = new Set(['apply', 'destroy']);

function judgeTerraform(args: readonly string[]): Omit<ApplyCommand, 'text'> | undefined {
  // Terraform's global options (`-chdir=DIR`) are written with `=`, so none takes a separate value.
  const subcommand = subcommandOf(args, new Set());
  if (!subcommand || !TERRAFORM_APPLY_SUBCOMMANDS.has(subcommand.name)) return undefined;
  if (subcommand.rest.some((arg) => arg === '-help' || arg === '--help' || arg === '-h')) return undefined;
  return { tool: 'terraform', action: subcommand.name };
}

const HELM_GLOBAL_VALUE_OPTIONS = new Set([
  '-n', '--namespace', '--kube-context', '--kubeconfig', '--kube-apiserver', '--kube-as-user', '--kube-as-group',
  '--kube-ca-file', '--kube-token', '--kube-tls-server-name', '--registry-config', '--repository-cache',
  '--repository-config', '--burst-limit', '--qps',
]);
/** helm's own aliases: `uninstall` is also `un`, `del`, `delete`. */
const HELM_APPLY_SUBCOMMANDS: Record<string, string> = {
  install: 'install',
  upgrade: 'upgrade',
  uninstall: 'uninstall',
  un: 'uninstall',
  del: 'uninstall',
  delete: 'uninstall',
  rollback: 'rollback',
};

function judgeHelm(args: readonly string[]): Omit<ApplyCommand, 'text'> | undefined {
  const subcommand = subcommandOf(args, HELM_GLOBAL_VALUE_OPTIONS);
  const action = subcommand && HELM_APPLY_SUBCOMMANDS[subcommand.name];
  if (!action || isDryRun(args) || args.includes('--help') || args.includes('-h')) return undefined;
  return { tool: 'helm', action };
}

/**
 * Options that make ansible-playbook change nothing: check mode (also inside a cluster of
 * short flags such as `-vC`), and the listing and syntax-only modes.
 */
const ANSIBLE_READ_ONLY_OPTIONS = new Set(['--check', '-C', '--syntax-check', '--list-tasks', '--list-hosts', '--list-tags', '--help', '-h', '--version']);

function judgeAnsiblePlaybook(args: readonly string[]): Omit<ApplyCommand, 'text'> | undefined {
  const readOnly = args.some((arg) => ANSIBLE_READ_ONLY_OPTIONS.has(arg) || /^-[vDbKk]*C[vDbKk]*$/.test(arg));
  return readOnly ? undefined : { tool: 'ansible-playbook', action: 'run' };
}
