/**
 * A chart's values.schema.json: compiled with ajv for the draft it declares (draft-07, the
 * default, and draft-06; 2019-09; 2020-12), and values files checked against it. A schema
 * that cannot be used (not JSON, not a valid schema, a `$ref` to the network) is reported on
 * the schema file itself, at the offending place, in the same plain words as manifests.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import type { Finding } from '../core/types';
import { reportsFromSchemaErrors } from '../kubernetes/schemaErrors';
import type { ScalarValue, YamlNode } from '../yaml/compose';
import { nodeRange, parseYamlFile, pathRange, type YamlFile } from './yamlDocument';

export const VALUES_SCHEMA_RULE = 'helm/values-schema';
export const INVALID_VALUES_SCHEMA_RULE = 'helm/values-schema-invalid';

export interface CompiledValuesSchema {
  /** Undefined when the schema cannot be used; `problems` then say why. */
  validate?: ValidateFunction;
  /** Findings for values.schema.json itself. */
  problems: Finding[];
}

const OPTIONS = { allErrors: true, strict: false, allowUnionTypes: true, verbose: true } as const;

function ajvFor(schema: Record<string, unknown>): Ajv | 'draft-04' {
  const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (declared.includes('draft-04') || declared.includes('draft-03')) return 'draft-04';
  if (declared.includes('2020-12')) return new Ajv2020(OPTIONS);
  if (declared.includes('2019-09')) return new Ajv2019(OPTIONS);
  const ajv = new Ajv(OPTIONS);
  ajv.addMetaSchema(draft06);
  return ajv;
}

function schemaFinding(range: Finding['range'], message: string): Finding {
  return { range, severity: 'error', rule: INVALID_VALUES_SCHEMA_RULE, message };
}

/** The position JSON.parse names in its message (Node 20: "at position N"). */
function jsonErrorOffset(error: unknown): number {
  const match = /position (\d+)/.exec(String(error));
  return match ? Number(match[1]) : 0;
}

/** The first `"$ref": target` in the schema's tree, to underline a reference that cannot be resolved. */
function findRef(node: YamlNode | null, target: string): YamlNode | undefined {
  if (!node) return undefined;
  if (node.kind === 'map') {
    for (const pair of node.pairs) {
      const isRef = pair.key.kind === 'scalar' && pair.key.value === '$ref' && pair.value.kind === 'scalar';
      if (isRef && String((pair.value as { value: ScalarValue }).value).startsWith(target)) return pair.value;
      const inner = findRef(pair.value, target);
      if (inner) return inner;
    }
  } else if (node.kind === 'seq') {
    for (const item of node.items) {
      const inner = findRef(item, target);
      if (inner) return inner;
    }
  }
  return undefined;
}

export function compileValuesSchema(text: string): CompiledValuesSchema {
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    const file = parseYamlFile(text);
    const offset = jsonErrorOffset(error);
    return { problems: [schemaFinding(file.lines.rangeOf(offset, offset + 1), `values.schema.json is not valid JSON (${String((error as Error).message)}), so values are not checked.`)] };
  }
  // JSON is YAML: the YAML parser gives the positions of the schema's parts.
  const file = parseYamlFile(text);
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return { problems: [schemaFinding(pathRange(file, []), 'values.schema.json must hold a JSON object (a schema), so values are not checked.')] };
  }
  const ajv = ajvFor(schema as Record<string, unknown>);
  if (ajv === 'draft-04') {
    return { problems: [{ ...schemaFinding(pathRange(file, ['$schema']), 'JSON Schema draft-04 is not supported here (draft-06 and later are), so values are not checked against this schema.'), severity: 'info' }] };
  }
  try {
    return { validate: ajv.compile(schema), problems: [] };
  } catch (error) {
    const missingRef = (error as { missingRef?: string; missingSchema?: string }).missingSchema ?? (error as { missingRef?: string }).missingRef;
    if (missingRef !== undefined) {
      const node = findRef(file.root, missingRef);
      return { problems: [schemaFinding(node ? nodeRange(file, node) : pathRange(file, []), `Cannot resolve "$ref": "${missingRef}" (references are resolved inside this file only, never fetched), so values are not checked.`)] };
    }
    const errors = (ajv.errors ?? []) as ErrorObject[];
    if (errors.length === 0) return { problems: [schemaFinding(pathRange(file, []), `values.schema.json is not a valid schema (${String((error as Error).message)}), so values are not checked.`)] };
    // The meta-schema reaches one bad keyword along several branches: the first word on each place is enough.
    const seen = new Set<string>();
    const problems: Finding[] = [];
    for (const report of reportsFromSchemaErrors(errors)) {
      const range = pathRange(file, report.path, report.at);
      const place = JSON.stringify(range);
      if (seen.has(place)) continue;
      seen.add(place);
      problems.push(schemaFinding(range, `Invalid schema: ${report.message} Values are not checked until it is fixed.`));
    }
    return { problems };
  }
}

/** Helm's coalescing of a values file over the chart's values.yaml: maps merge deeply, null deletes. */
export function mergeValues(base: unknown, override: unknown): unknown {
  const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isMap(base) || !isMap(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete merged[key];
    else merged[key] = mergeValues(base[key], value);
  }
  return merged;
}

/**
 * Findings for a values file. `base` is the chart's values.yaml when `file` is another values
 * file (an override): the merged values are checked, and only problems at a place the
 * override itself writes are reported in it; the rest belong to values.yaml.
 */
export function checkValues(file: YamlFile, validate: ValidateFunction, base?: unknown): Finding[] {
  if (file.problems.length > 0) return [];
  // An empty values file stands for no values at all.
  const own = file.value ?? {};
  const values = base === undefined ? own : mergeValues(base ?? {}, own);
  if (validate(values)) return [];
  const findings: Finding[] = [];
  for (const report of reportsFromSchemaErrors(validate.errors ?? [])) {
    if (base !== undefined && !writes(own, report.path)) continue;
    findings.push({ range: pathRange(file, report.path, report.at), severity: 'error', rule: VALUES_SCHEMA_RULE, message: report.message });
  }
  return findings;
}

/** Whether a value sets something at `path`. */
function writes(value: unknown, path: readonly (string | number)[]): boolean {
  let node: unknown = value;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null || !(String(segment) in node)) return false;
    node = (node as Record<string, unknown>)[String(segment)];
  }
  return true;
}
