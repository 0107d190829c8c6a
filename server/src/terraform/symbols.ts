/**
 * The outline of a file: one symbol per top-level block, named by its address
 * (`var.region`, `aws_s3_bucket.logs`, `module.network`), with its arguments and nested blocks
 * as children. Kinds use LSP's SymbolKind names so the shell maps them one to one.
 */
import type { Range } from '../core/types';
import type { Attribute, Block, TerraformFile } from './model';

export type TerraformSymbolKind = 'namespace' | 'module' | 'class' | 'struct' | 'variable' | 'constant' | 'property' | 'field' | 'object' | 'package' | 'event' | 'interface' | 'key';

export interface TerraformSymbol {
  name: string;
  detail?: string;
  kind: TerraformSymbolKind;
  range: Range;
  selectionRange: Range;
  children: TerraformSymbol[];
}

const TOP_LEVEL_KINDS: Record<string, TerraformSymbolKind> = {
  terraform: 'namespace',
  provider: 'package',
  variable: 'variable',
  output: 'property',
  locals: 'namespace',
  module: 'module',
  resource: 'class',
  data: 'struct',
  ephemeral: 'struct',
  moved: 'event',
  import: 'event',
  removed: 'event',
  check: 'interface',
};

function labels(block: Block): string[] {
  return block.labels.map((label) => label.value);
}

function topLevelName(block: Block): string {
  const [first, second] = labels(block);
  switch (block.type) {
    case 'variable': return `var.${first ?? ''}`;
    case 'output': return `output.${first ?? ''}`;
    case 'module': return `module.${first ?? ''}`;
    case 'resource': return `${first ?? ''}.${second ?? ''}`;
    case 'data': return `data.${first ?? ''}.${second ?? ''}`;
    case 'ephemeral': return `ephemeral.${first ?? ''}.${second ?? ''}`;
    case 'provider': {
      const alias = block.attributes.get('alias')?.expression.value;
      return typeof alias === 'string' ? `provider.${first}.${alias}` : `provider.${first ?? ''}`;
    }
    default: return [block.type, ...labels(block)].join('.');
  }
}

function attributeSymbol(attribute: Attribute, kind: TerraformSymbolKind, name = attribute.name): TerraformSymbol {
  return { name, kind, range: attribute.range, selectionRange: attribute.nameRange, children: [] };
}

function nestedSymbol(block: Block): TerraformSymbol {
  const name = [block.type, ...labels(block).map((l) => `"${l}"`)].join(' ');
  return { name, kind: 'object', range: block.range, selectionRange: block.typeRange, children: bodySymbols(block) };
}

function bodySymbols(block: Block): TerraformSymbol[] {
  const children = [...[...block.attributes.values()].map((a) => attributeSymbol(a, 'field')), ...block.blocks.map(nestedSymbol)];
  return children.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

export function documentSymbols(file: TerraformFile): TerraformSymbol[] {
  const symbols: TerraformSymbol[] = [];
  for (const attribute of file.attributes.values()) symbols.push(attributeSymbol(attribute, 'key'));
  for (const block of file.blocks) {
    const selection = block.labels[block.labels.length - 1]?.range ?? block.typeRange;
    if (block.type === 'locals') {
      const locals = [...block.attributes.values()].map((a) => attributeSymbol(a, 'constant', `local.${a.name}`));
      symbols.push({ name: 'locals', kind: 'namespace', range: block.range, selectionRange: selection, children: locals });
      continue;
    }
    symbols.push({ name: topLevelName(block), detail: block.type, kind: TOP_LEVEL_KINDS[block.type] ?? 'object', range: block.range, selectionRange: selection, children: bodySymbols(block) });
  }
  return symbols.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
