/**
 * Settings, defined once. The VS Code client, the language server and the CLI all read
 * this shape; `contributes.configuration` in package.json must match DEFAULT_SETTINGS
 * (a test checks it). Everything here is plain data so the core can take it as a parameter.
 */
import type { RuleLevel } from './core/types';

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
}

export const DEFAULT_KUBERNETES_VERSION = '1.36';

export const DEFAULT_SETTINGS: Settings = {
  validate: { enable: true, maxFileSize: 16 * 1024 * 1024 },
  kubernetes: { version: DEFAULT_KUBERNETES_VERSION },
  rules: {},
};

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
  if (isRecord(input.rules)) {
    for (const [rule, value] of Object.entries(input.rules)) {
      const level = parseRuleLevel(value);
      if (level) settings.rules[rule] = level;
      else problems.push(`gitopsIac.rules["${rule}"] must be one of ${RULE_LEVELS.join(', ')}; ignored.`);
    }
  }
  return { settings, problems };
}
