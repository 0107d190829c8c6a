/**
 * Turns ajv's errors into findings a person can act on: plain words, the field's path,
 * "did you mean" for misspelled keys, and the place to underline (the key or the value).
 */
import type { ErrorObject } from 'ajv';
import { formatPath, parseJsonPointer, type PathSegment } from '../yaml/path';
import type { ResourceReport } from './resource';
import { closestMatch } from '../core/spelling';

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value === 'number' && Number.isInteger(value) ? 'the integer' : `the ${typeof value}`} ${String(value)}`;
}

function expectedTypes(type: unknown): string {
  const list = Array.isArray(type) ? type : [type];
  const words = list.map((t) => (t === 'object' ? 'a mapping' : t === 'array' ? 'a list' : t === 'integer' ? 'an integer' : `a ${String(t)}`));
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : words[0];
}

function fieldName(path: readonly PathSegment[]): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return String(path[i]);
  return 'value';
}

function where(path: readonly PathSegment[]): string {
  return path.length ? ` in ${formatPath(path)}` : '';
}

const QUANTITY_HINT = 'a quantity such as 100m, 0.5, 128Mi or 1Gi';

/** Words for the patterns the schema generator adds; other patterns are quoted. */
function patternMessage(error: ErrorObject, path: readonly PathSegment[]): string {
  const value = error.data;
  if (error.schemaPath.includes('Quantity') || /Ki\|?Mi|\[KMGTPE\]i/.test(String(error.params.pattern))) {
    return `${describeValue(value)} is not ${QUANTITY_HINT}.`;
  }
  const parent = path[path.length - 2];
  if (error.propertyName !== undefined) {
    return `Label key "${error.propertyName}" is not valid: use an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit.`;
  }
  if (parent === 'labels' || parent === 'matchLabels') {
    return `Label value ${describeValue(value)} is not valid: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit.`;
  }
  return `"${fieldName(path)}" ${describeValue(value)} does not match the required format ${String(error.params.pattern)}.`;
}

/**
 * ajv reports an anyOf's failed branches as well as the anyOf itself; only the anyOf
 * speaks to the user, so the branches' errors are dropped.
 */
function withoutBranchNoise(errors: readonly ErrorObject[]): ErrorObject[] {
  const combinators = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.schemaPath);
  return errors.filter(
    (e) => e.keyword !== 'if' && e.keyword !== 'propertyNames' && !combinators.some((prefix) => e.schemaPath.startsWith(`${prefix}/`)),
  );
}

const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

export function reportsFromSchemaErrors(errors: readonly ErrorObject[]): ResourceReport[] {
  const reports: ResourceReport[] = [];
  const seen = new Set<string>();
  for (const error of withoutBranchNoise(errors)) {
    const described = reportFor(error, parseJsonPointer(error.instancePath));
    const report = { ...described, message: capitalized(described.message) };
    const key = `${report.path.join('/')}|${report.at}|${report.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      reports.push(report);
    }
  }
  return reports;
}

function reportFor(error: ErrorObject, path: PathSegment[]): ResourceReport {
  const params = error.params as Record<string, unknown>;
  const field = fieldName(path);
  switch (error.keyword) {
    case 'additionalProperties': {
      const unknown = String(params.additionalProperty);
      const known = Object.keys(((error.parentSchema as Record<string, unknown> | undefined)?.properties as object | undefined) ?? {});
      const suggestion = closestMatch(unknown, known);
      return {
        path: [...path, unknown],
        at: 'key',
        message: `Unknown field "${unknown}"${where(path)}.${suggestion ? ` Did you mean "${suggestion}"?` : known.length ? ` Allowed fields: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}.` : ''}`,
        replacements: suggestion ? [{ title: `Change "${unknown}" to "${suggestion}"`, newText: suggestion }] : undefined,
      };
    }
    case 'required':
      return {
        path,
        at: 'key',
        message: `Missing required field "${String(params.missingProperty)}"${path.length ? ` in ${formatPath(path)}` : ''}.`,
      };
    case 'type':
      return { path, message: `Wrong type for "${field}": expected ${expectedTypes(params.type)}, found ${describeValue(error.data)}.` };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      return {
        path,
        message: `${describeValue(error.data)} is not allowed for "${field}". Allowed values: ${allowed.slice(0, 15).join(', ')}${allowed.length > 15 ? ', …' : ''}.`,
      };
    }
    case 'const':
      return { path, message: `"${field}" must be ${JSON.stringify(params.allowedValue)}, found ${describeValue(error.data)}.` };
    case 'pattern':
      return error.propertyName !== undefined
        ? { path: [...path, error.propertyName], at: 'key', message: patternMessage(error, path) }
        : { path, message: patternMessage(error, path) };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const schema = (error.parentSchema ?? {}) as Record<string, unknown>;
      const range = typeof schema.minimum === 'number' && typeof schema.maximum === 'number' ? `between ${schema.minimum} and ${schema.maximum}` : `${error.message ?? ''}`.replace(/^must be /, '');
      return { path, message: `"${field}" must be ${range}, found ${String(error.data)}.` };
    }
    case 'maxLength':
    case 'minLength':
      return {
        path,
        message: `"${field}" must be ${error.keyword === 'maxLength' ? 'at most' : 'at least'} ${String(params.limit)} characters long (it has ${String(error.data).length}).`,
      };
    case 'anyOf':
    case 'oneOf':
      return { path, message: `${describeValue(error.data)} is not a valid "${field}": it matches none of the allowed forms.` };
    default:
      return { path, message: `"${field}" ${error.message ?? 'is not valid'}.` };
  }
}
