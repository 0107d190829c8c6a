/**
 * The command line of a subcommand (`plan`, `drift`, `pr`): options as `--name value` or
 * `--name=value`, flags, paths (all after `--` taken as paths), and what bad usage and
 * --help print.
 */

/** A mistake in the command line: said on stderr with a pointer to --help, exit status 2. */
export class UsageError extends Error {}

const EXIT_HELP = 0;
const EXIT_USAGE = 2;

export interface OptionNames {
  /** The options followed by a value. */
  values: ReadonlySet<string>;
  /** The options that stand alone; -h and --help are always known. */
  flags?: ReadonlySet<string>;
}

export interface Arguments {
  paths: string[];
  /** The flags given, out of `OptionNames.flags`. */
  flags: Set<string>;
  help: boolean;
}

/**
 * Reads `argv` in order, handing each value option to `take` as it comes. A value never starts
 * with `--`, so that a forgotten one is not taken from the option after it.
 */
export function readArguments(argv: readonly string[], names: OptionNames, take: (name: string, value: string) => void): Arguments {
  const result: Arguments = { paths: [], flags: new Set(), help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      result.paths.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') result.help = true;
    else if (names.flags?.has(arg)) result.flags.add(arg);
    else if (!arg.startsWith('-') || arg === '-') result.paths.push(arg);
    else {
      const equals = arg.indexOf('=');
      const name = equals === -1 ? arg : arg.slice(0, equals);
      if (!names.values.has(name)) throw new UsageError(`unknown option ${name}`);
      const value = equals !== -1 ? arg.slice(equals + 1) : i + 1 < argv.length && !argv[i + 1].startsWith('--') ? argv[++i] : undefined;
      if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
      take(name, value);
    }
  }
  return result;
}

/** `value` when it is one of `choices`; otherwise a UsageError that lists them. */
export function oneOf<T extends string>(option: string, value: string, choices: readonly T[]): T {
  const chosen = choices.find((candidate) => candidate === value);
  if (chosen === undefined) throw new UsageError(`${option} must be one of ${choices.join(', ')}, not "${value}"`);
  return chosen;
}

/**
 * Parses the arguments of `gitops-iac <subcommand>`. Returns the command to run, or the exit
 * status when there is none: 2 after saying on stderr what is wrong (with a pointer to
 * --help), 0 after printing `usage` for --help.
 */
export function parseOrExit<T extends { help: boolean }>(subcommand: string, usage: string, argv: readonly string[], parse: (argv: readonly string[]) => T): T | number {
  let command: T;
  try {
    command = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`gitops-iac: ${error.message}\nRun "gitops-iac ${subcommand} --help" for usage.\n`);
    return EXIT_USAGE;
  }
  if (command.help) {
    process.stdout.write(usage);
    return EXIT_HELP;
  }
  return command;
}
