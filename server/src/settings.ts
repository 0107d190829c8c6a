/**
 * Settings, defined once. The VS Code client, the language server and the CLI all read
 * this shape; `contributes.configuration` in package.json must match DEFAULT_SETTINGS
 * (a test checks it). Everything here is plain data so the core can take it as a parameter.
 */
import type { RuleLevel } from './core/types';
import { DEFAULT_TERRAFORM_VERSION, normalizeTerraformVersion } from './terraform/checks/context';

export interface Settings {
  validate: {
    /** Master switch for diagnostics. */
    enable: boolean;
    /** Files larger than this (in bytes) are skipped with a note instead of parsed. */
    maxFileSize: number;
  };
  kubernetes: {
    /** Target Kubernetes version, `MAJOR.MINOR`: drives schemas and API deprecations. */
    version: string;
  };
  /** Per-rule level overrides keyed by rule id (`k8s/no-latest-tag`: `off`). */
  rules: Record<string, RuleLevel>;
  terraform: {
    /** The Terraform version the language checks assume, `MAJOR.MINOR`: decides which functions and blocks exist. */
    version: string;
  };
  helm: {
    /** Render charts with `helm template` after a save and validate the output (trusted workspaces only). */
    render: boolean;
    /** The helm executable: a name looked up on PATH, or a path. */
    path: string;
  };
  kustomize: {
    /**
     * Who renders kustomizations for validation: `auto` (kubectl when installed and the
     * workspace trusted, else the embedded build), `kubectl`, `embedded`, or `off`.
     */
    renderer: KustomizeRenderer;
  };
  ansible: {
    lint: {
      /** Run the real ansible-lint on an Ansible file after it is saved (trusted workspaces only). */
      onSave: boolean;
      /** The ansible-lint executable: a name looked up on PATH, or a path. */
      path: string;
    };
  };
  pr: {
    /** Branch name of Create GitOps PR; `{slug}` is replaced by the title's slug. */
    branchTemplate: string;
    /** The branch PRs merge into; `""` means the remote's default branch. */
    baseBranch: string;
    /** GitHub REST API root (`""`: api.github.com); set for GitHub Enterprise. */
    githubApiUrl: string;
    /** GitLab REST API v4 root (`""`: derived from the remote's host). */
    gitlabApiUrl: string;
  };
  guard: {
    /** Warn when an apply-like command (`kubectl apply`, `terraform apply`, …) runs in the integrated terminal. */
    terminal: boolean;
  };
  /** Branches the pre-push hook of Protect Branches refuses direct pushes to. */
  protectedBranches: string[];
  drift: {
    /** Seconds between refreshes of the Drift view while it is visible; 0 turns auto-refresh off. */
    autoRefreshSeconds: number;
    /** A kubeconfig file; "" reads KUBECONFIG, then ~/.kube/config. */
    kubeconfig: string;
    /** The kubeconfig context to compare with; "" is its current context. */
    context: string;
    /** Only this namespace (and cluster-scoped objects); "" is every namespace the manifests name. */
    namespace: string;
    /** A `kubectl get -o json` file to compare with instead of a cluster; "" reads the cluster. */
    snapshot: string;
    /** Also list live objects that carry this app's tracking label or annotation but are absent from git. */
    includeUnmanaged: boolean;
    ansible: {
      /** The inventory the playbooks are checked against (`-i`): a path relative to the playbook's folder, or a host list; "" is the one ansible.cfg names. */
      inventory: string;
    };
  };
}

export const DEFAULT_KUBERNETES_VERSION = '1.36';

export const DEFAULT_SETTINGS: Settings = {
  validate: { enable: true, maxFileSize: 16 * 1024 * 1024 },
  kubernetes: { version: DEFAULT_KUBERNETES_VERSION },
  rules: {},
  terraform: { version: DEFAULT_TERRAFORM_VERSION },
  helm: { render: false, path: 'helm' },
  ansible: { lint: { onSave: false, path: 'ansible-lint' } },
  kustomize: { renderer: 'auto' },
  pr: { branchTemplate: 'gitops/{slug}', baseBranch: '', githubApiUrl: '', gitlabApiUrl: '' },
  guard: { terminal: true },
  protectedBranches: ['main', 'master'],
  drift: { autoRefreshSeconds: 0, kubeconfig: '', context: '', namespace: '', snapshot: '', includeUnmanaged: false, ansible: { inventory: '' } },
};

export const KUSTOMIZE_RENDERERS = ['auto', 'kubectl', 'embedded', 'off'] as const;
export type KustomizeRenderer = (typeof KUSTOMIZE_RENDERERS)[number];

const RULE_LEVELS: readonly RuleLevel[] = ['off', 'error', 'warning', 'info', 'hint'];

/** VS Code's own severity names are accepted too, so `information` works as users expect. */
function parseRuleLevel(value: unknown): RuleLevel | undefined {
  if (value === 'information') return 'info';
  return RULE_LEVELS.find((level) => level === value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `1.36`, `v1.36`, `1.36.2` all mean minor version 1.36. */
export function normalizeKubernetesVersion(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(String(value).trim());
  return match ? `${Number(match[1])}.${Number(match[2])}` : undefined;
}

/** An executable's name or path: taken as written, and empty means the default. */
const EXECUTABLE = { trim: false, emptyKeepsDefault: true };

/**
 * A string setting `gitopsIac.<name>`: absent keeps `current`; anything but a string keeps it
 * too, with a problem in words. Text settings are trimmed; executables are taken as written.
 */
function stringSetting(value: unknown, name: string, current: string, problems: string[], options = { trim: true, emptyKeepsDefault: false }): string {
  if (value === undefined || (options.emptyKeepsDefault && value === '')) return current;
  if (typeof value === 'string') return options.trim ? value.trim() : value;
  problems.push(`gitopsIac.${name} must be a string; using "${current}".`);
  return current;
}

/**
 * Turns whatever the client sent (possibly partial, possibly wrong) into complete
 * Settings. Problems are returned as words, never thrown: a bad setting must not stop
 * validation.
 */
export function parseSettings(raw: unknown): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const input = isRecord(raw) ? raw : {};
  const validate = isRecord(input.validate) ? input.validate : {};
  const kubernetes = isRecord(input.kubernetes) ? input.kubernetes : {};

  const settings: Settings = structuredClone(DEFAULT_SETTINGS);
  if (typeof validate.enable === 'boolean') settings.validate.enable = validate.enable;
  if (validate.maxFileSize !== undefined) {
    if (typeof validate.maxFileSize === 'number' && validate.maxFileSize > 0) {
      settings.validate.maxFileSize = validate.maxFileSize;
    } else {
      problems.push(`gitopsIac.validate.maxFileSize must be a positive number of bytes; using ${settings.validate.maxFileSize}.`);
    }
  }
  if (kubernetes.version !== undefined && kubernetes.version !== '') {
    const version = normalizeKubernetesVersion(kubernetes.version);
    if (version) settings.kubernetes.version = version;
    else problems.push(`gitopsIac.kubernetes.version "${String(kubernetes.version)}" is not a version like 1.36; using ${settings.kubernetes.version}.`);
  }
  const helm = isRecord(input.helm) ? input.helm : {};
  if (typeof helm.render === 'boolean') settings.helm.render = helm.render;
  settings.helm.path = stringSetting(helm.path, 'helm.path', settings.helm.path, problems, EXECUTABLE);
  const ansible = isRecord(input.ansible) ? input.ansible : {};
  const ansibleLint = isRecord(ansible.lint) ? ansible.lint : {};
  if (typeof ansibleLint.onSave === 'boolean') settings.ansible.lint.onSave = ansibleLint.onSave;
  settings.ansible.lint.path = stringSetting(ansibleLint.path, 'ansible.lint.path', settings.ansible.lint.path, problems, EXECUTABLE);
  const kustomize = isRecord(input.kustomize) ? input.kustomize : {};
  if (kustomize.renderer !== undefined) {
    const renderer = KUSTOMIZE_RENDERERS.find((candidate) => candidate === kustomize.renderer);
    if (renderer) settings.kustomize.renderer = renderer;
    else problems.push(`gitopsIac.kustomize.renderer must be one of ${KUSTOMIZE_RENDERERS.join(', ')}; using "${settings.kustomize.renderer}".`);
  }
  const terraform = isRecord(input.terraform) ? input.terraform : {};
  if (terraform.version !== undefined && terraform.version !== '') {
    const version = normalizeTerraformVersion(terraform.version);
    if (version) settings.terraform.version = version;
    else problems.push(`gitopsIac.terraform.version "${String(terraform.version)}" is not a version like ${DEFAULT_TERRAFORM_VERSION}; using ${settings.terraform.version}.`);
  }
  if (isRecord(input.rules)) {
    for (const [rule, value] of Object.entries(input.rules)) {
      const level = parseRuleLevel(value);
      if (level) settings.rules[rule] = level;
      else problems.push(`gitopsIac.rules["${rule}"] must be one of ${RULE_LEVELS.join(', ')}; ignored.`);
    }
  }
  parseGitOpsWorkflowSettings(input, settings, problems);
  const drift = isRecord(input.drift) ? input.drift : {};
  if (drift.autoRefreshSeconds !== undefined) {
    if (typeof drift.autoRefreshSeconds === 'number' && Number.isInteger(drift.autoRefreshSeconds) && drift.autoRefreshSeconds >= 0) {
      settings.drift.autoRefreshSeconds = drift.autoRefreshSeconds;
    } else {
      problems.push(`gitopsIac.drift.autoRefreshSeconds must be a whole number of seconds (0 turns it off); using ${settings.drift.autoRefreshSeconds}.`);
    }
  }
  for (const key of ['kubeconfig', 'context', 'namespace', 'snapshot'] as const) {
    settings.drift[key] = stringSetting(drift[key], `drift.${key}`, settings.drift[key], problems);
  }
  if (typeof drift.includeUnmanaged === 'boolean') settings.drift.includeUnmanaged = drift.includeUnmanaged;
  const driftAnsible = isRecord(drift.ansible) ? drift.ansible : {};
  settings.drift.ansible.inventory = stringSetting(driftAnsible.inventory, 'drift.ansible.inventory', settings.drift.ansible.inventory, problems);
  return { settings, problems };
}

/** The settings of the PR flow, the terminal guard and Protect Branches (read by the client only). */
function parseGitOpsWorkflowSettings(input: Record<string, unknown>, settings: Settings, problems: string[]): void {
  const pr = isRecord(input.pr) ? input.pr : {};
  for (const key of ['branchTemplate', 'baseBranch', 'githubApiUrl', 'gitlabApiUrl'] as const) {
    settings.pr[key] = stringSetting(pr[key], `pr.${key}`, settings.pr[key], problems);
  }
  if (!settings.pr.branchTemplate.includes('{slug}')) {
    problems.push(`gitopsIac.pr.branchTemplate must contain {slug}; using "${DEFAULT_SETTINGS.pr.branchTemplate}".`);
    settings.pr.branchTemplate = DEFAULT_SETTINGS.pr.branchTemplate;
  }
  const guard = isRecord(input.guard) ? input.guard : {};
  if (typeof guard.terminal === 'boolean') settings.guard.terminal = guard.terminal;
  if (input.protectedBranches !== undefined) {
    const branches = input.protectedBranches;
    if (Array.isArray(branches) && branches.every((branch) => typeof branch === 'string' && branch.trim() !== '')) {
      settings.protectedBranches = branches.map((branch: string) => branch.trim());
    } else {
      problems.push(`gitopsIac.protectedBranches must be a list of branch names; using ${JSON.stringify(settings.protectedBranches)}.`);
    }
  }
}
