/**
 * Runs git through simple-git (argument arrays, never a shell) in the user's own environment.
 * simple-git strips GIT_*, EDITOR, SSH_ASKPASS and similar variables unless they are allowed;
 * they are the user's settings (an ssh command, VS Code's askpass helper), so they are kept.
 * Prompts are off: a missing credential fails at once instead of waiting on a terminal.
 */
import { simpleGit, type SimpleGit } from 'simple-git';

/** Git gives up on a network operation that prints nothing for this long. */
const SILENCE_TIMEOUT_MS = 120_000;

export function gitIn(baseDir: string, extraEnvironment: Record<string, string> = {}): SimpleGit {
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) environment[key] = value;
  Object.assign(environment, { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' }, extraEnvironment);
  return simpleGit({
    baseDir,
    allowEnvironment: Object.keys(environment),
    // These name variables of the user's environment above; the arguments we pass are fixed.
    unsafe: {
      allowUnsafeEditor: true,
      allowUnsafeAskPass: true,
      allowUnsafeSshCommand: true,
      allowUnsafePager: true,
      allowUnsafeConfigPaths: true,
      allowUnsafeConfigEnvCount: true,
      allowUnsafeGitProxy: true,
      allowUnsafeDiffExternal: true,
      allowUnsafeTemplateDir: true,
    },
    timeout: { block: SILENCE_TIMEOUT_MS },
  }).env(environment);
}

/** The message of a failed git command (simple-git puts stderr in it), trimmed. */
export function gitErrorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).trim();
}
