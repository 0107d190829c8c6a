/**
 * Where each Terraform resource is declared: the `resource` blocks of a root module and of
 * the local modules it calls (`module.app.aws_s3_bucket.b` is declared in the called
 * folder), keyed by address without instance keys, since `count` and `for_each` instances
 * share one block. Pure: the module indexes come from the caller.
 */
import type { Range } from '../../core/types';
import type { Block } from '../../terraform/model';
import type { ModuleIndex } from '../../terraform/module';
import { resolveFolder } from '../../terraform/workspace';
import type { DeclaredAt } from '../types';

export interface TerraformDeclaration {
  declaredAt: DeclaredAt;
  /** The `resource` block, for the ranges of drifted attributes. */
  block: Block;
  /** The block has `count` or `for_each`, so it may rightly have no instance at all. */
  repeated: boolean;
}

/** Declarations by address without instance keys: `aws_s3_bucket.b`, `module.app.aws_ssm_parameter.p`. */
export type DeclaredResources = ReadonlyMap<string, TerraformDeclaration>;

export type ModuleIndexOf = (folderUri: string) => ModuleIndex | undefined;

/** Deeper module nesting than this is not followed (it is a loop or a mistake). */
const MAX_MODULE_DEPTH = 16;

/** The block's header, `resource "type" "name" {`: where a code lens or a link points. */
function headerRange(block: Block): Range {
  return { start: block.typeRange.start, end: block.openBraceRange.end };
}

export function declaredResources(rootFolderUri: string, moduleOf: ModuleIndexOf): Map<string, TerraformDeclaration> {
  const declared = new Map<string, TerraformDeclaration>();
  const visit = (folder: string, prefix: string, chain: readonly string[]): void => {
    const index = moduleOf(folder);
    if (!index || chain.length > MAX_MODULE_DEPTH) return;
    for (const [address, declaration] of index.resources) {
      const block = declaration.block;
      const repeated = block.attributes.has('count') || block.attributes.has('for_each');
      declared.set(prefix + address, { declaredAt: { uri: declaration.uri, range: headerRange(block) }, block, repeated });
    }
    for (const [name, call] of index.moduleCalls) {
      const source = call.block.attributes.get('source')?.expression;
      // Only local sources can be followed: a registry or git module is not on disk until `init`, and then under .terraform.
      if (!source?.isStatic || typeof source.value !== 'string' || !/^\.\.?([/\\]|$)/.test(source.value)) continue;
      const called = resolveFolder(folder, source.value);
      if (chain.includes(called)) continue;
      visit(called, `${prefix}module.${name}.`, [...chain, called]);
    }
  };
  visit(rootFolderUri, '', [rootFolderUri]);
  return declared;
}

/** `module.a["x"].aws_s3_bucket.b[0]` → `module.a.aws_s3_bucket.b`: the address of the block that declares an instance. */
export function blockAddress(instanceAddress: string): string {
  let result = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < instanceAddress.length; i++) {
    const char = instanceAddress[i];
    if (quoted) {
      if (char === '\\') i++;
      else if (char === '"') quoted = false;
    } else if (char === '"' && depth > 0) quoted = true;
    else if (char === '[') depth++;
    else if (char === ']') depth--;
    else if (depth === 0) result += char;
  }
  return result;
}
