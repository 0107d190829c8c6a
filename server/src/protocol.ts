/**
 * Every custom LSP message between the GitOps IaC client and server, in one place.
 * The client imports this same file (bundled by esbuild), so the two sides can never
 * disagree on a method name or a payload shape.
 */
import { NotificationType, RequestType, type WorkDoneProgressParams } from 'vscode-languageserver-protocol';
import type { DriftReport } from './drift/types';
import type { PlanReport } from './plan/types';

export type ServerState = 'starting' | 'indexing' | 'ready' | 'error';

export interface ServerStatusParams {
  state: ServerState;
  /** Short human text for the status bar tooltip ("Indexed 42 files", an error, …). */
  message: string;
  /** Kubernetes version the server validates against (after fallbacks). */
  kubernetesVersion?: string;
  /** Files of the workspace index (CRDs, resources, references). */
  indexedFiles?: number;
}

/** Sent by the server whenever its state changes, so the client can show it in the status bar. */
export namespace ServerStatusNotification {
  export const method = 'gitopsIac/serverStatus';
  export const type = new NotificationType<ServerStatusParams>(method);
}

/** Initialization options the client passes; everything else comes through workspace/configuration. */
export interface InitializationOptions {
  /** False in an untrusted workspace: the server then runs no external program. */
  workspaceTrusted: boolean;
  /** A folder the server may keep caches in across restarts (the extension's global storage); an OS cache folder when absent. */
  cacheFolder?: string;
}

/** A `workDoneToken` asks for progress while the live state is read, as with LSP's own requests. */
export interface DriftParams extends WorkDoneProgressParams {
  /** Kubernetes live source: a kubeconfig context (the current one when absent) or a `kubectl get -o json` snapshot file. */
  kubernetes?: { context?: string; namespace?: string; snapshot?: string };
  /** Include live objects that carry the app's tracking label but are absent from git. */
  includeUnmanaged?: boolean;
}

/** Asks the server to compare the workspace's declared state with the live environments. */
export namespace DriftRequest {
  export const method = 'gitopsIac/drift';
  export const type = new RequestType<DriftParams, DriftReport, void>(method);
}

// ---- GitOps pull requests (issue 7) ------------------------------------------------------
// The server runs git and the forge APIs (server/src/node/git, server/src/node/forges), so the
// CLI and the extension share one flow. Tokens travel only in these requests, from VS Code's
// GitHub session or SecretStorage; the server never logs them nor sends them back.

export type PrProvider = 'github' | 'gitlab' | 'compare';

/** Where and how a pull request is opened; shared by Create GitOps PR and Roll Back…. */
export interface PrTarget {
  /** A workspace folder (file URI) inside the repository; the first workspace folder when absent. */
  folder?: string;
  /** The remote to push to (default `origin`). */
  remote?: string;
  /** The branch the PR merges into; default: the current branch's upstream, else the project's default branch (API), else the remote's HEAD, else `main`. */
  base?: string;
  /** Open a draft PR; also the only way to open one when validation found errors (the body then says so). */
  draft?: boolean;
  /** Default: from the remote's host (github.com → github, a host naming gitlab → gitlab, else compare). */
  provider?: PrProvider;
  /** GitHub or GitLab token; never logged, never echoed back. */
  token?: string;
  /** REST API root for GitHub Enterprise or self-hosted GitLab (`https://ghe.example.com/api/v3`, `https://gitlab.example.com/api/v4`). */
  apiUrl?: string;
  /** `OWNER/NAME` (GitLab: the full project path) when the remote URL does not name the project. */
  repo?: string;
  /** Do everything except pushing and calling the API; the result says what would be done. */
  dryRun?: boolean;
  /** The Plan section of the body, as markdown (e.g. from the plan service); omitted when absent. */
  plan?: string;
  /** The Drift section of the body; omitted when absent. Already masked, as every DriftReport. */
  drift?: DriftReport;
}

export interface CreatePrParams extends PrTarget {
  /** The files to commit: file URIs or paths relative to the repository root. Nothing else is committed. */
  files: string[];
  title: string;
  /** The exact branch name; fails when it exists. Otherwise made from `branchTemplate`. */
  branch?: string;
  /** `{slug}` is replaced by the title's slug (default `gitops/{slug}`); a numeric suffix is added when taken. */
  branchTemplate?: string;
}

/** One finding of the validation that gates a PR, in the picked file it belongs to. */
export interface PrFinding {
  /** Path relative to the repository root, `/`-separated. */
  path: string;
  /** 1-based. */
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'info' | 'hint';
  rule: string;
  message: string;
}

export interface PrValidation {
  errors: number;
  warnings: number;
  findings: PrFinding[];
}

export type PrFailureReason =
  | 'untrusted' // the workspace is not trusted: no git, no network
  | 'not-a-repository'
  | 'no-changes' // the picked files hold no change against HEAD
  | 'validation-failed' // errors, and not a draft: `validation` lists them
  | 'detached-head'
  | 'dirty-conflict' // other uncommitted changes would be lost or mixed in
  | 'branch-exists'
  | 'push-rejected'
  | 'revert-conflict' // the revert conflicts with later commits
  | 'auth-failed'
  | 'network'
  | 'forge-error' // the API refused for another reason
  | 'bad-request'; // a parameter is wrong (unknown file, bad repo name, …)

export interface PrFailure {
  ok: false;
  reason: PrFailureReason;
  /** What happened, in words; says too that the repository is as it was. */
  message: string;
  /** What the user can do next. */
  nextStep: string;
  validation?: PrValidation;
}

export interface PrCreated {
  ok: true;
  /** The PR's page, or the compare page when the host has no API we speak (or on a dry run). */
  url: string;
  branch: string;
  base: string;
  provider: PrProvider;
  /** The PR or MR number (GitLab: the iid); absent for a compare page. */
  number?: number;
  /** True when an open PR for this branch already existed: `url` links to it. */
  existing?: boolean;
  /** The commit made on `branch`; on a dry-run revert, the revert commit it would hold (on no branch), for PlanParams.head. */
  commit?: string;
  validation: PrValidation;
  /** On a dry run: the body that would be sent. */
  body?: string;
  dryRun?: boolean;
}

export type PrResult = PrCreated | PrFailure;

/** Sent by Create GitOps PR: branch from HEAD, commit only `files`, push, open the PR, return to the original branch. */
export namespace CreatePrRequest {
  export const method = 'gitopsIac/createPr';
  export const type = new RequestType<CreatePrParams, PrResult, void>(method);
}

export interface ChangedFilesParams {
  /** Workspace folders (file URIs) to look in; all workspace folders when absent. */
  folders?: string[];
}

export interface ChangedFile {
  uri: string;
  /** Relative to the repository root, `/`-separated. */
  path: string;
  /** `git status --porcelain` letters: index and work tree (`M`, `A`, `D`, `R`, `?`, ` `). */
  index: string;
  workTree: string;
}

export interface ChangedRepository {
  /** The repository root, a file URI. */
  root: string;
  /** The current branch; absent on a detached HEAD. */
  branch?: string;
  /** Changed IaC files (.yaml, .yml, .tf, .tfvars, .json) under the asked folders. */
  files: ChangedFile[];
}

/** Sent by Create GitOps PR to list the files the user picks from. Empty in an untrusted workspace. */
export namespace ChangedFilesRequest {
  export const method = 'gitopsIac/changedFiles';
  export const type = new RequestType<ChangedFilesParams, { repositories: ChangedRepository[] }, void>(method);
}

export interface RollbackCandidatesParams {
  folder?: string;
  /** How many commits to return at most (default 30). */
  limit?: number;
}

export interface RollbackCandidate {
  sha: string;
  subject: string;
  author: string;
  /** ISO 8601. */
  date: string;
  /** True for a merge commit (reverted with `-m 1`). */
  merge: boolean;
  /** The IaC files it changed, relative to the repository root. */
  files: string[];
  /** The PR it came from, when its message says so ("Merge pull request #12 from …", "Title (#12)"). */
  pullRequest?: { number: number; title: string };
}

/** Sent by Roll Back… to list recent commits (first parent history) that changed IaC files. */
export namespace RollbackCandidatesRequest {
  export const method = 'gitopsIac/rollbackCandidates';
  export const type = new RequestType<RollbackCandidatesParams, { candidates: RollbackCandidate[] }, void>(method);
}

export interface RevertPrParams extends PrTarget {
  sha: string;
  /** Default `gitops/revert-{short sha}`. */
  branch?: string;
}

/** Sent by Roll Back…: a branch with `git revert` of `sha`, pushed, and a "Revert: <original title>" PR. */
export namespace RevertPrRequest {
  export const method = 'gitopsIac/revertPr';
  export const type = new RequestType<RevertPrParams, PrResult, void>(method);
}

export interface PlanParams {
  /** A workspace folder (file URI) inside the repository; the first workspace folder when absent. */
  folder?: string;
  /** The branch this one would merge into (default `main`); the plan covers the IaC files changed since the merge base, uncommitted changes included. */
  base?: string;
  /** A commit to plan instead of the work tree (e.g. the revert commit of a dry-run RevertPrRequest): the files changed between the merge base and it, planned in a temporary worktree. */
  head?: string;
  /** The kubeconfig context to dry-run against (the current one when absent). */
  kubernetesContext?: string;
  /** Limit the plan to changed files under these paths (file URIs, or paths relative to `folder`). */
  paths?: string[];
}

/**
 * Sent by Preview Plan (and by Create GitOps PR for the body's Plan section): what would change
 * live if this branch were merged and applied. Fails with a message in words when the folder
 * is not in a git repository, the base branch is unknown, or the workspace is untrusted.
 */
export namespace PlanRequest {
  export const method = 'gitopsIac/plan';
  export const type = new RequestType<PlanParams, PlanReport, void>(method);
}
