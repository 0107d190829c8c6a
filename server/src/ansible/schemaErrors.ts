/**
 * Words ajv's errors against the ansible-lint schemas. Those schemas say "a boolean or a
 * Jinja template" with oneOf/anyOf, and ajv answers a wrong value with one error per branch;
 * here each wrong value gets one sentence that lists the accepted forms. Everything that is
 * not a combinator is worded as for Kubernetes (kubernetes/schemaErrors.ts).
 */
import type { ErrorObject } from 'ajv';
import { reportsFromSchemaErrors } from '../kubernetes/schemaErrors';
import type { ResourceReport } from '../kubernetes/resource';
import { formatPath, parseJsonPointer, type PathSegment } from '../yaml/path';
import type { JsonSchema } from './schemaStore';

const FULL_JINJA_REF = '#/$defs/full-jinja';

/** Whether a value is (or holds) a Jinja template, which Ansible renders before it checks a type. */
export function isTemplated(value: unknown): boolean {
  return typeof value === 'string' && (value.includes('{{') || value.includes('{%'));
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value === 'number' && Number.isInteger(value) ? 'the integer' : `the ${typeof value}`} ${String(value)}`;
}

const TYPE_WORDS: Record<string, string> = {
  boolean: 'a boolean (true or false)',
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  array: 'a list',
  object: 'a mapping',
  null: 'nothing',
};

/** The forms a schema accepts, in words ("a boolean (true or false)", "a Jinja template"). */
export function acceptedForms(schema: unknown, root: JsonSchema, depth = 0): string[] {
  if (!schema || typeof schema !== 'object' || depth > 8) return [];
  const s = schema as JsonSchema;
  if (s.$ref === FULL_JINJA_REF) return ['a Jinja template ("{{ … }}")'];
  if (typeof s.$ref === 'string' && s.$ref.startsWith('#/$defs/')) {
    const defs = root.$defs as Record<string, unknown> | undefined;
    return acceptedForms(defs?.[s.$ref.slice('#/$defs/'.length)], root, depth + 1);
  }
  const branches = (s.oneOf ?? s.anyOf) as unknown[] | undefined;
  const branchForms = Array.isArray(branches) ? unique(branches.flatMap((branch) => acceptedForms(branch, root, depth + 1))) : [];
  // Branches that only require keys (`anyOf: [{required: [role]}, …]`) say nothing about the form.
  if (branchForms.length) return branchForms;
  if (Array.isArray(s.enum)) return [`one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`];
  if (s.type === undefined && (s.properties || s.additionalProperties)) return ['a mapping'];
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : [];
  return types.map((type) => {
    if (type === 'string' && typeof s.pattern === 'string' && s.pattern.includes('%')) return 'a percentage ("30%")';
    return TYPE_WORDS[type] ?? type;
  });
}

function unique(words: string[]): string[] {
  return [...new Set(words)];
}

function listed(words: string[]): string {
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : (words[0] ?? 'another form');
}

/** `become`, or `dependencies[0]` for a list item. */
function fieldOf(path: readonly PathSegment[]): string {
  return typeof path[path.length - 1] === 'number' ? formatPath(path) : String(path[path.length - 1] ?? 'value');
}

/**
 * One report per wrong value. Where a oneOf/anyOf failed, its branches' errors at that path
 * are dropped and the combinator is worded with the forms it accepts; but when the value is a
 * mapping or list with errors inside it, those inner errors are the precise answer and are
 * reported instead. Templated values are never reported: Ansible checks them after rendering.
 */
export function reportsFromAnsibleSchemaErrors(errors: readonly ErrorObject[], root: JsonSchema): ResourceReport[] {
  const relevant = errors.filter((error) => error.keyword !== 'if' && !isTemplated(error.data));
  const isCombinator = (error: ErrorObject): boolean => error.keyword === 'oneOf' || error.keyword === 'anyOf';
  // ajv reports a combinator after its branches, so the last one at a path is the outermost.
  const combinators = new Map<string, ErrorObject>();
  for (const error of relevant) if (isCombinator(error)) combinators.set(error.instancePath, error);
  const inside = (path: string, outer: string): boolean => path.startsWith(`${outer}/`);
  const collapsed: string[] = [];
  const reports: ResourceReport[] = [];
  const byDepth = [...combinators].sort(([a], [b]) => a.split('/').length - b.split('/').length);
  for (const [pointer, error] of byDepth) {
    if (collapsed.some((outer) => inside(pointer, outer))) continue;
    // A mapping's own errors (unknown or missing keys) come from the branches that took a mapping: they are precise.
    const innerErrors = relevant.some((e) => !isCombinator(e) && (inside(e.instancePath, pointer) || (e.instancePath === pointer && e.keyword !== 'type')));
    if (innerErrors && typeof error.data === 'object' && error.data !== null) continue;
    collapsed.push(pointer);
    const path = parseJsonPointer(pointer);
    reports.push({ path, message: `Wrong value for "${fieldOf(path)}": expected ${listed(acceptedForms(error.parentSchema, root))}, found ${describeValue(error.data)}.` });
  }
  const plain = relevant.filter((e) => {
    if (isCombinator(e) || collapsed.some((outer) => e.instancePath === outer || inside(e.instancePath, outer))) return false;
    // The other branches' type mismatches are noise once a branch of the right type is being reported.
    return !(combinators.has(e.instancePath) && e.keyword === 'type');
  });
  reports.push(...reportsFromSchemaErrors(plain));
  return reports;
}
