/**
 * Hover: what the schema says about the key (or value) under the mouse, and for `kind` /
 * `apiVersion` values, which resource that is and where its schema comes from.
 */
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { hoverTargetAt, type HoverTarget } from '../kubernetes/cursor';
import { describeSchema, refResolver, schemaAtPath } from '../kubernetes/schemaNavigation';
import type { KindSchema, KubernetesSchemas } from '../kubernetes/schemaStore';
import { formatPath } from '../yaml/path';

/** Where a kind's schema comes from, in words. */
export function schemaOriginText(entry: KindSchema, schemas: KubernetesSchemas): string {
  switch (entry.origin) {
    case 'kubernetes':
      return `built-in Kubernetes v${schemas.version}`;
    case 'bundled-crd':
      return 'CustomResourceDefinition bundled with GitOps IaC';
    case 'workspace-crd':
      return 'CustomResourceDefinition from this workspace';
  }
}

function kindMarkdown(target: HoverTarget, schemas: KubernetesSchemas): string | undefined {
  const { apiVersion, kind } = target;
  if (!kind) return undefined;
  const entry = apiVersion ? schemas.lookup(apiVersion, kind) : undefined;
  if (!entry) {
    const servedBy = schemas.apiVersionsOf(kind);
    if (!servedBy.length) return undefined;
    return `**${kind}** is served by ${servedBy.map((version) => `\`${version}\``).join(', ')}${apiVersion ? `, not \`${apiVersion}\`` : ''}.`;
  }
  const description = describeSchema(entry.schema, refResolver(schemas, entry)).description;
  const parts = [`**${entry.kind}** (\`${entry.apiVersion}\`${entry.namespaced ? '' : ', cluster-scoped'})`];
  if (description) parts.push(description);
  if (entry.deprecationWarning) parts.push(`**Deprecated:** ${entry.deprecationWarning}`);
  parts.push(`Schema: ${schemaOriginText(entry, schemas)}.`);
  return parts.join('\n\n');
}

function fieldMarkdown(target: HoverTarget, schemas: KubernetesSchemas): string | undefined {
  if (!target.apiVersion || !target.kind || target.path.length === 0) return undefined;
  const entry = schemas.lookup(target.apiVersion, target.kind);
  if (!entry) return undefined;
  const schema = schemaAtPath(schemas, entry, target.path);
  if (!schema) return undefined;
  const resolve = refResolver(schemas, entry);
  const info = describeSchema(schema, resolve);
  const last = target.path[target.path.length - 1];
  const name = typeof last === 'number' ? formatPath(target.path.slice(-2)) : last;
  const parent = schemaAtPath(schemas, entry, target.path.slice(0, -1));
  const required = typeof last === 'string' && parent !== undefined && describeSchema(parent, resolve).required.includes(last);
  const parts = [`**${name}**: ${info.type}${required ? ' *(required)*' : ''}`];
  if (info.description) parts.push(info.description);
  if (info.enum?.length) parts.push(`Allowed: ${info.enum.map((value) => `\`${String(value)}\``).join(', ')}`);
  return parts.join('\n\n');
}

export function hoverAt(document: TextDocument, position: Position, schemas: KubernetesSchemas): Hover | null {
  try {
    const target = hoverTargetAt(document.getText(), document.offsetAt(position));
    if (!target) return null;
    const isIdentity = target.part === 'value' && target.path.length === 1 && (target.path[0] === 'kind' || target.path[0] === 'apiVersion');
    const markdown = isIdentity ? kindMarkdown(target, schemas) : fieldMarkdown(target, schemas);
    if (!markdown) return null;
    return {
      contents: { kind: MarkupKind.Markdown, value: markdown },
      range: { start: document.positionAt(target.start), end: document.positionAt(target.end) },
    };
  } catch {
    return null;
  }
}
