/**
 * Tokens for the forge APIs, never stored by the extension in settings or logs: GitHub's
 * from VS Code's built-in GitHub sign-in (or a token in the environment when there is no
 * session), GitLab's from SecretStorage.
 */
import * as vscode from 'vscode';
import type { PrProvider } from '../../../server/src/protocol';
import type { Settings } from '../../../server/src/settings';
import type { CommandFactory } from '../ctx';

const GITLAB_TOKEN_SECRET = 'gitopsIac.gitlabToken';
const GITHUB_SCOPES = ['repo'];
/** An authentication provider that never answers must not hang the command. */
const SILENT_SESSION_TIMEOUT_MS = 10_000;

/**
 * VS Code's sign-in for the GitHub behind `apiUrl`: `github` for github.com; for GitHub
 * Enterprise, `github-enterprise`, which works only once `github-enterprise.uri` names the
 * server (without it, asking that provider for a session never answers).
 */
function githubAuthProvider(apiUrl: string): string | undefined {
  if (apiUrl === '') return 'github';
  try {
    if (new URL(apiUrl).hostname === 'api.github.com') return 'github';
  } catch {
    return 'github';
  }
  return vscode.workspace.getConfiguration('github-enterprise').get<string>('uri') ? 'github-enterprise' : undefined;
}

async function silentGitHubSession(authProvider: string): Promise<vscode.AuthenticationSession | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), SILENT_SESSION_TIMEOUT_MS)));
  try {
    return await Promise.race([vscode.authentication.getSession(authProvider, GITHUB_SCOPES, { silent: true }), timeout]);
  } catch {
    // No such authentication provider here (code-server has none for GitHub).
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GITOPS_IAC_GITHUB_TOKEN`, else `GITHUB_TOKEN`. The first exists for code-server, which takes
 * `GITHUB_TOKEN` for itself (as its own GitHub sign-in, for github.com only) and removes it
 * from the environment of extensions.
 */
function tokenFromEnvironment(): string | undefined {
  return process.env.GITOPS_IAC_GITHUB_TOKEN?.trim() || process.env.GITHUB_TOKEN?.trim() || undefined;
}

/**
 * A GitHub token: an existing session first, then the environment (see tokenFromEnvironment),
 * then a sign-in. Undefined when the user declines to sign in.
 */
export async function githubToken(apiUrl: string): Promise<string | undefined> {
  const authProvider = githubAuthProvider(apiUrl);
  const existing = authProvider ? await silentGitHubSession(authProvider) : undefined;
  if (existing) return existing.accessToken;
  const fromEnvironment = tokenFromEnvironment();
  if (fromEnvironment) return fromEnvironment;
  if (!authProvider) {
    void vscode.window.showErrorMessage(
      `To sign in to the GitHub at ${apiUrl}, set github-enterprise.uri to its address, or start VS Code with GITHUB_TOKEN (in code-server: GITOPS_IAC_GITHUB_TOKEN) set.`,
    );
    return undefined;
  }
  try {
    const session = await vscode.authentication.getSession(authProvider, GITHUB_SCOPES, { createIfNone: true });
    return session.accessToken;
  } catch {
    return undefined;
  }
}

/** The stored GitLab token, or one asked for now (and stored); undefined when the user cancels. */
export async function gitlabToken(secrets: vscode.SecretStorage): Promise<string | undefined> {
  return (await secrets.get(GITLAB_TOKEN_SECRET)) ?? (await askGitLabToken(secrets));
}

async function askGitLabToken(secrets: vscode.SecretStorage): Promise<string | undefined> {
  const token = await vscode.window.showInputBox({
    title: 'GitLab access token',
    prompt: 'A personal or project access token with the api scope. It is kept in VS Code\'s secret storage. Leave empty to forget the stored token.',
    password: true,
    ignoreFocusOut: true,
  });
  if (token === undefined) return undefined;
  if (token.trim() === '') {
    await secrets.delete(GITLAB_TOKEN_SECRET);
    return undefined;
  }
  await secrets.store(GITLAB_TOKEN_SECRET, token.trim());
  return token.trim();
}

/**
 * What a PR request needs to reach the forge of `provider`: its token and API root (from the
 * settings; the server's default for the remote's host when empty). Undefined when the user
 * cancelled the sign-in or the token prompt, after saying so.
 */
export async function forgeAccess(
  provider: PrProvider,
  settings: Settings,
  secrets: vscode.SecretStorage,
): Promise<{ token?: string; apiUrl?: string } | undefined> {
  if (provider === 'compare') return {};
  const apiUrl = provider === 'gitlab' ? settings.pr.gitlabApiUrl : settings.pr.githubApiUrl;
  const token = provider === 'github' ? await githubToken(apiUrl) : await gitlabToken(secrets);
  if (token) return { token, apiUrl: apiUrl || undefined };
  void vscode.window.showWarningMessage(
    `No pull request was opened, since no ${provider === 'gitlab' ? 'GitLab token' : 'GitHub sign-in'} was given. Nothing was changed.`,
  );
  return undefined;
}

export const setGitLabToken: CommandFactory = (ctx) => async () => {
  const token = await askGitLabToken(ctx.extensionContext.secrets);
  if (token) void vscode.window.showInformationMessage('The GitLab token is stored in VS Code\'s secret storage.');
};
