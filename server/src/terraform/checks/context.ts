/**
 * What every module-level check receives: the module's declarations, the modules it calls,
 * the options (Terraform version), and a way to report a finding against one of its files.
 * A check is a plain function over this context, so each group of checks is one small file.
 */
import type { Finding, Range, Severity } from '../../core/types';
import type { Block } from '../model';
import type { ModuleFile, ModuleIndex } from '../module';

export interface TerraformVersion {
  major: number;
  minor: number;
}

export interface CheckOptions {
  terraformVersion: TerraformVersion;
}

/** A module called with a local source (`./network`): its folder and, when found, its index. */
export interface CalledModule {
  source: string;
  folder: string;
  /** Undefined when the folder does not exist or holds no .tf file. */
  index: ModuleIndex | undefined;
}

export interface CheckContext {
  module: ModuleIndex;
  /** The .tfvars files of the module's folder. */
  tfvars: ModuleFile[];
  options: CheckOptions;
  /** The module a `module` block calls, when its source is a local path; undefined otherwise. */
  calledModule(call: Block): CalledModule | undefined;
  report(uri: string, finding: Finding): void;
}

/** A check of the module as a whole (duplicates across files, cycles, .tfvars files). */
export type ModuleCheck = (ctx: CheckContext) => void;

/**
 * A check of one top-level block, reporting only in the block's file. Its findings are kept
 * with the block and reused while the block and the module's declarations are unchanged.
 */
export type BlockCheck = (ctx: CheckContext, uri: string, block: Block) => void;

export function atLeast(version: TerraformVersion, major: number, minor: number): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}

/** The Terraform version the language checks assume unless told otherwise (gitopsIac.terraform.version, --terraform-version). */
export const DEFAULT_TERRAFORM_VERSION = '1.11';

/** `1.11`, `v1.11` and `1.11.4` all mean `1.11`; undefined for anything else. */
export function normalizeTerraformVersion(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(String(value).trim());
  return match ? `${Number(match[1])}.${Number(match[2])}` : undefined;
}

export function parseTerraformVersion(text: string): TerraformVersion | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?/.exec(text.trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

export function finding(range: Range, rule: string, message: string, severity: Severity = 'error'): Finding {
  return { range, severity, rule, message };
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
export function orList(words: readonly string[]): string {
  const quoted = words.map((word) => `"${word}"`);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

/** `a resource`, `an output`: the indefinite article and the word. */
export function withArticle(word: string, capital = false): string {
  const article = /^[aeiou]/i.test(word) ? 'an' : 'a';
  return `${capital ? article[0].toUpperCase() + article.slice(1) : article} ${word}`;
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Where a declaration is, for messages: `line 4` in the same file, `variables.tf:4` in another. */
export function locationText(uri: string, range: Range, fromUri: string): string {
  const line = range.start.line + 1;
  return uri === fromUri ? `line ${line}` : `${uri.slice(uri.lastIndexOf('/') + 1)}:${line}`;
}
