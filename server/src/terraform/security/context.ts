/**
 * What every Terraform security rule receives: the module's .tf files (a folder's files
 * together, since a bucket and its public access block may be in different files), an index
 * of their top-level blocks by kind and type, and a way to report against one of the files.
 *
 * Rules only report. Rule levels from the settings and inline suppression comments
 * (`# gitops-iac-disable-next-line tf/open-ingress`) are applied by the engine afterwards.
 */
import type { Finding, Range, Severity } from '../../core/types';
import type { Block, TerraformFile } from '../model';

/** One .tf file of the module and its URI (the same shape as `ModuleFile` in module.ts). */
export interface SecurityInputFile {
  uri: string;
  file: TerraformFile;
}

/** A finding and the URI of the file it belongs to. */
export interface SecurityFinding {
  uri: string;
  finding: Finding;
}

export interface SecurityRuleMeta {
  /** Stable id, `tf/...`: users configure and suppress rules by id. */
  id: string;
  defaultSeverity: Severity;
  /** One sentence for docs and the README's rule table. */
  description: string;
}

/** A top-level block and the file it is in. */
export interface Located {
  uri: string;
  block: Block;
}

export type Report = (uri: string, range: Range, message: string) => void;

export interface SecurityRule extends SecurityRuleMeta {
  check(module: SecurityModule, report: Report): void;
}

/** The top-level blocks of a module's files, by kind (`resource`, `data`, `provider`, …) and type. */
export class SecurityModule {
  private readonly byKind = new Map<string, Located[]>();
  private readonly byType = new Map<string, Located[]>();

  constructor(readonly files: readonly SecurityInputFile[]) {
    for (const { uri, file } of files) {
      if (file.kind !== 'tf') continue;
      for (const block of file.blocks) {
        const located = { uri, block };
        push(this.byKind, block.type, located);
        if ((block.type === 'resource' || block.type === 'data') && block.labels.length === 2) {
          push(this.byType, `${block.type} ${block.labels[0].value}`, located);
        }
      }
    }
  }

  /** `resource "TYPE" "name"` blocks. */
  resources(type: string): readonly Located[] {
    return this.byType.get(`resource ${type}`) ?? [];
  }

  /** `resource` blocks of any of the types. */
  resourcesOf(types: Iterable<string>): Located[] {
    return [...types].flatMap((type) => this.resources(type));
  }

  /** `data "TYPE" "name"` blocks. */
  dataSources(type: string): readonly Located[] {
    return this.byType.get(`data ${type}`) ?? [];
  }

  /** Top-level blocks of one kind: `provider`, `variable`, `locals`, `module`, `resource`… */
  blocks(kind: string): readonly Located[] {
    return this.byKind.get(kind) ?? [];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** `aws_s3_bucket.logs` for a resource, `data.aws_iam_policy_document.admin` for a data source. */
export function address(block: Block): string {
  const name = block.labels.map((label) => label.value).join('.');
  return block.type === 'resource' ? name : `${block.type}.${name}`;
}

/**
 * Where to report something a block lacks: its labels (`"aws_s3_bucket" "logs"`), or its type
 * when it has none. The range starts on the block's first line, where a suppression comment
 * above the block applies.
 */
export function headerRange(block: Block): Range {
  const labels = block.labels;
  if (labels.length === 0) return block.typeRange;
  return { start: labels[0].range.start, end: labels[labels.length - 1].range.end };
}
