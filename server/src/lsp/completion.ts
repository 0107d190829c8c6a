/**
 * Completion: the keys a mapping may still take (required ones first), the values a key
 * allows (enums, booleans), and kinds and apiVersions from the schemas the server knows.
 */
import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextMode,
  MarkupKind,
  TextEdit,
  type CompletionItem,
  type CompletionList,
  type Position,
  type Range,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { completionContextAt, type CompletionContext } from '../kubernetes/cursor';
import { describeSchema, isObjectSchema, propertiesOf, refResolver, schemaAtPath, valuesOf, type RefResolver } from '../kubernetes/schemaNavigation';
import type { KindSchema, KubernetesSchemas } from '../kubernetes/schemaStore';
import type { JsonSchema } from '../schemas/bundle';
import { resolvePlainScalar } from '../yaml/compose';
import { schemaOriginText } from './hover';

/** A scalar as YAML text: quoted when plain text would read as something else (`"True"`, `"1"`). */
function yamlScalar(value: unknown): string {
  if (typeof value !== 'string') return String(value);
  const plainIsSafe = /^[A-Za-z0-9_./][^:#]*$/.test(value) && !/\s$/.test(value) && resolvePlainScalar(value) === value;
  return plainIsSafe ? value : JSON.stringify(value);
}

function yamlKey(name: string): string {
  return /^[A-Za-z0-9_$][\w.$/-]*$/.test(name) ? name : JSON.stringify(name);
}

function documentation(description: string | undefined, allowed?: unknown[]): CompletionItem['documentation'] {
  const parts = description ? [description] : [];
  if (allowed?.length) parts.push(`Allowed: ${allowed.map((value) => `\`${String(value)}\``).join(', ')}`);
  return parts.length ? { kind: MarkupKind.Markdown, value: parts.join('\n\n') } : undefined;
}

function propertyItems(schema: JsonSchema, resolve: RefResolver, context: CompletionContext, range: Range): CompletionItem[] {
  const present = new Set(context.presentKeys);
  const childIndent = ' '.repeat(context.indent + 2);
  return propertiesOf(schema, resolve)
    .filter((property) => !present.has(property.name))
    .map((property) => {
      const info = describeSchema(property.schema, resolve);
      const nested = isObjectSchema(property.schema, resolve) ? `\n${childIndent}` : info.type.startsWith('list') ? `\n${childIndent}- ` : ' ';
      const item: CompletionItem = {
        label: property.name,
        kind: CompletionItemKind.Property,
        detail: info.type,
        documentation: documentation(info.description, info.enum),
        sortText: `${property.required ? '0' : '1'}_${property.name}`,
        filterText: property.name,
        textEdit: TextEdit.replace(range, `${yamlKey(property.name)}:${nested}`),
        insertTextMode: InsertTextMode.asIs,
      };
      if (info.description && /^deprecated\b/i.test(info.description)) item.tags = [CompletionItemTag.Deprecated];
      return item;
    });
}

function valueItems(values: unknown[], context: CompletionContext, range: Range): CompletionItem[] {
  return values.map((value, index) => ({
    label: String(value),
    kind: typeof value === 'boolean' ? CompletionItemKind.Keyword : CompletionItemKind.EnumMember,
    sortText: String(index).padStart(4, '0'),
    textEdit: TextEdit.replace(range, `${context.needsSpace ? ' ' : ''}${yamlScalar(value)}`),
  }));
}

function kindItems(schemas: KubernetesSchemas, context: CompletionContext, range: Range): CompletionItem[] {
  const byKind = new Map<string, KindSchema[]>();
  for (const entry of schemas.allKinds()) byKind.set(entry.kind, [...(byKind.get(entry.kind) ?? []), entry]);
  return [...byKind].map(([kind, entries]) => {
    const preferred = entries.find((entry) => entry.apiVersion === context.apiVersion);
    const shown = preferred ?? entries[0];
    const item: CompletionItem = {
      label: kind,
      kind: CompletionItemKind.Class,
      detail: [...new Set(entries.map((entry) => entry.apiVersion))].join(', '),
      documentation: documentation(describeSchema(shown.schema, refResolver(schemas, shown)).description),
      sortText: `${preferred ? '0' : '1'}_${kind}`,
      textEdit: TextEdit.replace(range, `${context.needsSpace ? ' ' : ''}${kind}`),
    };
    if (entries.every((entry) => entry.deprecationWarning)) item.tags = [CompletionItemTag.Deprecated];
    return item;
  });
}

function apiVersionItems(schemas: KubernetesSchemas, context: CompletionContext, range: Range): CompletionItem[] {
  const serving = context.kind ? schemas.apiVersionsOf(context.kind) : [];
  const versions = serving.length ? serving : [...new Set(schemas.allKinds().map((entry) => entry.apiVersion))].sort();
  return versions.map((apiVersion, index) => {
    const entry = context.kind ? schemas.lookup(apiVersion, context.kind) : undefined;
    const item: CompletionItem = {
      label: apiVersion,
      kind: CompletionItemKind.Module,
      detail: entry ? `${entry.kind}: ${schemaOriginText(entry, schemas)}` : undefined,
      documentation: entry?.deprecationWarning ? documentation(entry.deprecationWarning) : undefined,
      sortText: String(index).padStart(4, '0'),
      filterText: apiVersion,
      textEdit: TextEdit.replace(range, `${context.needsSpace ? ' ' : ''}${apiVersion}`),
    };
    if (entry?.deprecationWarning) item.tags = [CompletionItemTag.Deprecated];
    return item;
  });
}

/** apiVersion and kind, for a document whose kind is not known yet. */
function identityKeyItems(context: CompletionContext, range: Range): CompletionItem[] {
  return ['apiVersion', 'kind']
    .filter((name) => !context.presentKeys.includes(name))
    .map((name) => ({
      label: name,
      kind: CompletionItemKind.Property,
      detail: 'string',
      sortText: `0_${name}`,
      textEdit: TextEdit.replace(range, `${name}: `),
    }));
}

function itemsFor(context: CompletionContext, schemas: KubernetesSchemas, range: Range): CompletionItem[] {
  const { path, position } = context;
  if (position === 'value' && path.length === 1 && path[0] === 'kind') return kindItems(schemas, context, range);
  if (position === 'value' && path.length === 1 && path[0] === 'apiVersion') return apiVersionItems(schemas, context, range);
  const entry = context.apiVersion && context.kind ? schemas.lookup(context.apiVersion, context.kind) : undefined;
  if (!entry) return position === 'key' && path.length === 0 ? identityKeyItems(context, range) : [];
  const schema = schemaAtPath(schemas, entry, path);
  if (!schema) return [];
  const resolve = refResolver(schemas, entry);
  if (position === 'key' && isObjectSchema(schema, resolve)) return propertyItems(schema, resolve, context, range);
  // A value typed on its own line: a list item of scalars, or the value under `key:`.
  return valueItems(valuesOf(schema, resolve), context, range);
}

export function completionAt(document: TextDocument, position: Position, schemas: KubernetesSchemas): CompletionItem[] | CompletionList | null {
  try {
    const offset = document.offsetAt(position);
    const context = completionContextAt(document.getText(), offset);
    if (!context) return [];
    // Replace the whole word under the cursor, so accepting in the middle of one does not leave its tail.
    const text = document.getText();
    let wordEnd = offset;
    while (wordEnd < text.length && /[\w.\/-]/.test(text[wordEnd])) wordEnd++;
    const range = { start: document.positionAt(context.replaceStart), end: document.positionAt(wordEnd) };
    return itemsFor(context, schemas, range);
  } catch {
    return [];
  }
}
