/**
 * A Terraform module is a folder: every .tf file in it declares into one namespace, so a
 * reference in one file may name a variable declared in another. `ModuleIndex` is that
 * namespace, built from the models of the folder's files; the language checks and the editor
 * features read declarations from it.
 */
import type { Range } from '../core/types';
import type { Attribute, Block, TerraformFile } from './model';

export interface ModuleFile {
  uri: string;
  file: TerraformFile;
}

/** A declaring block and the file it is in. */
export interface Declaration {
  uri: string;
  block: Block;
  /** The name's range (the last label), or the block type when the name is missing. */
  nameRange: Range;
}

/** A local value: one argument of a `locals` block. */
export interface LocalDeclaration {
  uri: string;
  block: Block;
  attribute: Attribute;
  nameRange: Range;
}

export type DeclarationKind = 'variable' | 'local' | 'output' | 'resource' | 'data' | 'ephemeral' | 'module' | 'provider' | 'check';

export interface DuplicateDeclaration {
  kind: DeclarationKind;
  /** `x` for a variable, `aws_s3_bucket.b` for a resource, `aws.west` for a provider. */
  name: string;
  uri: string;
  range: Range;
  first: { uri: string; range: Range };
}

export interface ModuleIndex {
  /** The folder's URI, without a trailing slash. */
  folder: string;
  /** The .tf files of the folder (not .tfvars). */
  files: ModuleFile[];
  variables: Map<string, Declaration>;
  locals: Map<string, LocalDeclaration>;
  outputs: Map<string, Declaration>;
  /** Keyed `type.name`. */
  resources: Map<string, Declaration>;
  /** Keyed `type.name`. */
  dataSources: Map<string, Declaration>;
  /** Keyed `type.name` (Terraform 1.10 and later). */
  ephemeralResources: Map<string, Declaration>;
  moduleCalls: Map<string, Declaration>;
  /** Provider configurations, keyed `name` (the default one) or `name.alias`. */
  providers: Map<string, Declaration>;
  /** `required_providers` entries by local name, with their `configuration_aliases` (`aws.west`). */
  requiredProviders: Map<string, { uri: string; attribute: Attribute; aliases: string[] }>;
  checks: Map<string, Declaration>;
  duplicates: DuplicateDeclaration[];
}

/** The folder of a file URI, without a trailing slash. */
export function folderOf(uri: string): string {
  const slash = uri.lastIndexOf('/');
  return slash < 0 ? '' : uri.slice(0, slash);
}

/** The last path segment of a URI. */
export function baseName(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}

function declare(
  index: ModuleIndex,
  map: Map<string, Declaration>,
  kind: DeclarationKind,
  name: string,
  declaration: Declaration,
): void {
  const first = map.get(name);
  if (first) index.duplicates.push({ kind, name, uri: declaration.uri, range: declaration.nameRange, first: { uri: first.uri, range: first.nameRange } });
  else map.set(name, declaration);
}

function providerKey(block: Block): string | undefined {
  const name = block.labels[0]?.value;
  if (name === undefined) return undefined;
  const alias = block.attributes.get('alias')?.expression;
  if (!alias) return name;
  return alias.isStatic && typeof alias.value === 'string' ? `${name}.${alias.value}` : undefined;
}

/** The `configuration_aliases = [aws.west]` of a required_providers entry. */
function configurationAliases(attribute: Attribute): string[] {
  const entry = attribute.expression.entries?.find((e) => e.name === 'configuration_aliases');
  return (entry?.value.elements ?? []).flatMap((element) => (element.traversal ? [`${element.traversal.root}.${element.traversal.steps.map((s) => (s.kind === 'attribute' ? s.name : '')).join('.')}`] : []));
}

/** `override.tf` and `*_override.tf` merge into the blocks of the folder's other files. */
export function isOverrideFile(uri: string): boolean {
  return /(^|_)override\.tf$/.test(baseName(uri));
}

export function buildModuleIndex(folder: string, files: readonly ModuleFile[]): ModuleIndex {
  const index: ModuleIndex = {
    folder,
    files: [...files].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0)),
    variables: new Map(),
    locals: new Map(),
    outputs: new Map(),
    resources: new Map(),
    dataSources: new Map(),
    ephemeralResources: new Map(),
    moduleCalls: new Map(),
    providers: new Map(),
    requiredProviders: new Map(),
    checks: new Map(),
    duplicates: [],
  };
  // Terraform loads a folder's files in lexical order, so "already declared at" names the first file.
  for (const { uri, file } of index.files) {
    // An override file's blocks change blocks declared elsewhere rather than declaring them again.
    if (isOverrideFile(uri)) continue;
    for (const block of file.blocks) {
      const labels = block.labels;
      const last = labels[labels.length - 1];
      const declaration = { uri, block, nameRange: last?.range ?? block.typeRange };
      switch (block.type) {
        case 'variable':
        case 'output':
        case 'module':
        case 'check':
          if (labels.length === 1) {
            const map = block.type === 'variable' ? index.variables : block.type === 'output' ? index.outputs : block.type === 'module' ? index.moduleCalls : index.checks;
            declare(index, map, block.type, labels[0].value, declaration);
          }
          break;
        case 'resource':
        case 'data':
        case 'ephemeral':
          if (labels.length === 2) {
            const map = block.type === 'resource' ? index.resources : block.type === 'data' ? index.dataSources : index.ephemeralResources;
            declare(index, map, block.type, `${labels[0].value}.${labels[1].value}`, declaration);
          }
          break;
        case 'provider': {
          const key = labels.length === 1 ? providerKey(block) : undefined;
          if (key !== undefined) declare(index, index.providers, 'provider', key, declaration);
          break;
        }
        case 'locals':
          for (const attribute of block.attributes.values()) {
            const local = { uri, block, attribute, nameRange: attribute.nameRange };
            const first = index.locals.get(attribute.name);
            if (first) index.duplicates.push({ kind: 'local', name: attribute.name, uri, range: attribute.nameRange, first: { uri: first.uri, range: first.nameRange } });
            else index.locals.set(attribute.name, local);
          }
          break;
        case 'terraform':
          for (const required of block.blocks.filter((b) => b.type === 'required_providers')) {
            for (const attribute of required.attributes.values()) {
              if (!index.requiredProviders.has(attribute.name)) index.requiredProviders.set(attribute.name, { uri, attribute, aliases: configurationAliases(attribute) });
            }
          }
          break;
        default:
          break;
      }
    }
  }
  return index;
}
