/**
 * The rule catalogue (server/src/engine/ruleCatalog.ts) must know every rule id the server
 * can report, so none ships without the description and default severity SARIF shows. The
 * ids are found the way a person would grep for them: every quoted `prefix/name` literal in
 * server/src whose prefix is a rule prefix, and every `rule: '…'` or `…_RULE = '…'` literal
 * whatever its prefix. The README's rule tables and bracketed defaults must agree with it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describeRule, RULE_CATALOGUE, RULE_FAMILIES } from '../../server/src/engine/ruleCatalog';
import { TERRAFORM_RULES } from '../../server/src/terraform/checks/index';
import { PROVIDER_SCHEMA_RULES } from '../../server/src/terraform/providerSchemaChecks';
import { TERRAFORM_RULE_DESCRIPTIONS } from '../../server/src/terraform/ruleTable';

const ROOT = join(__dirname, '..', '..');
const SOURCES = join(ROOT, 'server', 'src');
const SEVERITIES = ['error', 'warning', 'info', 'hint'];

/** Files that only describe rules: an id found only there is reported by nothing. */
const DESCRIPTION_TABLES = new Set([
  'server/src/engine/ruleCatalog.ts',
  'server/src/cli/format.ts',
  'server/src/kubernetes/checkRules.ts',
  'server/src/kustomize/rules.ts',
  'server/src/terraform/ruleTable.ts',
  'server/src/terraform/checks/index.ts',
]);

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

interface Occurrence {
  id: string;
  where: string;
}

const catalogueIds = new Set(RULE_CATALOGUE.map((rule) => rule.id));
const rulePrefixes = new Set([...catalogueIds].map((id) => id.slice(0, id.indexOf('/'))));

/** Every rule-id literal in the sources, with file and line. */
function ruleIdsInSources(): Occurrence[] {
  const found: Occurrence[] = [];
  const quoted = /(rule:\s*|_RULE\s*=\s*)?(['"`])([a-z][a-z0-9-]*)\/([a-z0-9][a-z0-9-]*)\2/g;
  for (const file of sourceFiles(SOURCES)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, index) => {
      for (const match of line.matchAll(quoted)) {
        const [, ruleContext, , prefix, name] = match;
        if (ruleContext || rulePrefixes.has(prefix)) found.push({ id: `${prefix}/${name}`, where: `${relative(ROOT, file)}:${index + 1}` });
      }
    });
  }
  return found;
}

/** Ids built at run time: `rule: \`prefix/${…}\``. */
function dynamicRulePrefixes(): Occurrence[] {
  const found: Occurrence[] = [];
  for (const file of sourceFiles(SOURCES)) {
    for (const match of readFileSync(file, 'utf8').matchAll(/rule:\s*`([a-z][a-z0-9-]*\/)\$\{/g)) found.push({ id: match[1], where: relative(ROOT, file) });
  }
  return found;
}

describe('the rule catalogue', () => {
  it('describes every rule id the sources contain', () => {
    const occurrences = ruleIdsInSources();
    const distinct = new Set(occurrences.map((occurrence) => occurrence.id));
    // The scan must really find the rules: nearly a hundred ids across all the languages.
    assert.ok(distinct.size > 80, `only ${distinct.size} ids found`);
    for (const id of ['kustomize/patch', 'helm/render', 'gitops/app-path', 'ansible/task-action', 'tf/deprecated-attribute', 'yaml/limits']) assert.ok(distinct.has(id), id);
    const undescribed = occurrences.filter((occurrence) => !describeRule(occurrence.id)).map((occurrence) => `${occurrence.id} (${occurrence.where})`);
    assert.deepEqual(undescribed, [], 'rule ids with no entry in the catalogue: add them to their language\'s rule table');
  });

  it('describes the ids made at run time by their prefix', () => {
    const dynamic = dynamicRulePrefixes();
    assert.ok(dynamic.some((occurrence) => occurrence.id === 'ansible-lint/'), 'the ansible-lint ids are found');
    for (const { id, where } of dynamic) assert.ok(RULE_FAMILIES.some((family) => family.prefix === id), `${id} (${where}) has no family`);
    assert.deepEqual(describeRule('ansible-lint/yaml[truthy]'), { id: 'ansible-lint/yaml[truthy]', defaultSeverity: 'warning', description: RULE_FAMILIES[0].description });
    assert.equal(describeRule('ansible-lint/'), undefined, 'a bare prefix is no rule');
    assert.equal(describeRule('k8s/no-such-rule'), undefined);
  });

  it('holds each id once, with a severity and a one-sentence description', () => {
    const ids = RULE_CATALOGUE.map((rule) => rule.id);
    assert.deepEqual(ids.filter((id, index) => ids.indexOf(id) !== index), [], 'ids listed twice');
    for (const rule of RULE_CATALOGUE) {
      assert.match(rule.id, /^[a-z][a-z0-9-]*\/[a-z0-9][a-z0-9-]*$/, rule.id);
      assert.ok(SEVERITIES.includes(rule.defaultSeverity), `${rule.id}: ${rule.defaultSeverity}`);
      assert.match(rule.description, /^\S.*\.$/, `${rule.id}: "${rule.description}"`);
    }
  });

  it('lists only ids that something reports', () => {
    const reported = new Set(ruleIdsInSources().filter((occurrence) => !DESCRIPTION_TABLES.has(occurrence.where.slice(0, occurrence.where.lastIndexOf(':')))).map((occurrence) => occurrence.id));
    assert.deepEqual([...catalogueIds].filter((id) => !reported.has(id)), [], 'catalogue ids no source reports');
  });

  it('describes exactly the Terraform ids that have a default severity, which agree where two tables share one', () => {
    const severityIds = new Set([...Object.keys(TERRAFORM_RULES), ...Object.keys(PROVIDER_SCHEMA_RULES)]);
    assert.deepEqual(Object.keys(TERRAFORM_RULE_DESCRIPTIONS).sort(), [...severityIds].sort());
    for (const id of Object.keys(PROVIDER_SCHEMA_RULES).filter((shared) => shared in TERRAFORM_RULES)) assert.equal(PROVIDER_SCHEMA_RULES[id], TERRAFORM_RULES[id], id);
  });
});

describe('the README', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('names only rules the catalogue knows', () => {
    const named = [...readme.matchAll(/`([a-z][a-z0-9-]*\/[a-z0-9][a-z0-9-]*)`/g)].map((match) => match[1]).filter((id) => rulePrefixes.has(id.slice(0, id.indexOf('/'))));
    assert.ok(named.length > 50, `only ${named.length} rule ids in the README`);
    assert.deepEqual([...new Set(named)].filter((id) => !catalogueIds.has(id)), []);
  });

  it('gives the default severities the catalogue has', () => {
    // Table rows `| \`id\` | severity |` and inline `\`id\` [severity]` or `(severity)`.
    const stated = [
      ...readme.matchAll(/^\| `([^`]+)` \| (error|warning|info|hint) \|/gm),
      ...readme.matchAll(/`([^`]+)` [[(](error|warning|info|hint)[\])]/g),
    ].map((match) => ({ id: match[1], severity: match[2] }));
    assert.ok(stated.length > 40, `only ${stated.length} severities read from the README`);
    const disagreeing = stated.filter(({ id, severity }) => describeRule(id)?.defaultSeverity !== severity).map(({ id, severity }) => `${id}: README ${severity}, catalogue ${describeRule(id)?.defaultSeverity}`);
    assert.deepEqual(disagreeing, []);
  });
});
