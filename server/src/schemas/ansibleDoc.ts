/**
 * `ansible-doc --json` output (already parsed), optionally merged with a module's real
 * `argument_spec`, → ModuleSpec. Pure: no I/O. Used by scripts/generate-ansible-modules.ts
 * for ansible.builtin and by server/src/node/ansibleModules.ts for installed collections.
 *
 * The documentation gives descriptions and the options' documented shape; the argument spec,
 * when given, is what Ansible enforces, so its types, choices, defaults, aliases and required
 * flags win, and it alone knows mutually_exclusive, required_one_of, required_together and
 * required_if.
 */
import type { ModuleOption, ModuleSpec } from '../ansible/types';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Pseudo-options that document a free-form string argument (`command: echo hi`,
 * `set_fact: a=1`) rather than an argument name a user may write.
 */
const FREE_FORM_OPTIONS = new Set(['free_form', 'free-form', 'key_value']);

/**
 * Modules whose action plugin reads every argument it is given, which neither the
 * documentation nor an argument spec can say: set_fact's arguments are the variables it sets,
 * add_host's other arguments are the new host's variables.
 */
const MODULES_TAKING_ANY_ARGUMENT = new Set(['ansible.builtin.set_fact', 'ansible.builtin.add_host']);

/** `C(x)`, `I(x)`, `B(x)`, `M(x)`, `U(x)`, `O(x)`, `V(x)`, `E(x)`, `P(x)` → x; `L(text,url)` → text. */
function stripMarkup(text: string): string {
  return text
    .replace(/\bL\(([^,)]*),[^)]*\)/g, '$1')
    .replace(/\b[CIBMUOVEP]\(([^)]*)\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The first sentence of a description (a string or a list of paragraphs), without markup. */
export function firstSentence(description: unknown): string | undefined {
  const first = Array.isArray(description) ? description.find((part) => typeof part === 'string') : description;
  if (typeof first !== 'string') return undefined;
  const text = stripMarkup(first);
  // A sentence ends at ". " before a capital, a backtick or a digit; "e.g. foo" does not end one.
  const end = /[.!?](?=\s+[A-Z0-9`("'])/.exec(text);
  const sentence = end ? text.slice(0, end.index + 1) : text;
  return sentence || undefined;
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') && value.length ? value : undefined;
}

function choiceList(value: unknown): Array<string | number | boolean> | undefined {
  if (!Array.isArray(value) || !value.length) return undefined;
  const scalar = (item: unknown): item is string | number | boolean =>
    typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean';
  return value.every(scalar) ? value : undefined;
}

/** A `type` as a name; a callable type in an argument spec (printed as `<function ...>`) checks nothing we can know. */
function typeName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return /^[a-z]+$/.test(value) ? value : 'raw';
}

/** One option's fields that both sources share, as far as `source` gives them. */
function optionFields(source: Record<string, unknown>, nested: Record<string, ModuleOption> | undefined): ModuleOption {
  const option: ModuleOption = {};
  const type = typeName(source.type);
  if (type) option.type = type;
  if (source.required === true) option.required = true;
  const choices = choiceList(source.choices);
  if (choices) option.choices = choices;
  if (source.default !== undefined && source.default !== null) option.default = source.default;
  const aliases = stringList(source.aliases);
  if (aliases) option.aliases = aliases;
  const elements = typeName(source.elements);
  if (elements) option.elements = elements;
  if (nested && Object.keys(nested).length) option.suboptions = nested;
  return option;
}

/**
 * Merges documented options with argument-spec options. Names starting with `_` are set by
 * Ansible itself (`_raw_params`, `_original_basename`), never by a user, so they are left out.
 */
function mergeOptions(documented: unknown, enforced: unknown): Record<string, ModuleOption> {
  const docs = isRecord(documented) ? documented : {};
  const spec = isRecord(enforced) ? enforced : undefined;
  const specAliases = aliasesOf(spec ?? {});
  const names = new Set([...Object.keys(docs), ...Object.keys(spec ?? {})]);
  const options: Record<string, ModuleOption> = {};
  for (const name of [...names].sort()) {
    if (name.startsWith('_') || FREE_FORM_OPTIONS.has(name)) continue;
    // A documented option that the argument spec knows as another option's alias is that option (apt documents
    // `name` with the alias `package`, its argument spec has `package` with the alias `name`): list it once.
    if (spec && !Object.hasOwn(spec, name) && specAliases.has(name)) continue;
    const real = spec && isRecord(spec[name]) ? spec[name] : undefined;
    const doc = documentationOf(docs, name, real);
    const nested = mergeOptions(doc.suboptions, real ? real.options : undefined);
    const option = real ? optionFields(real, nested) : optionFields(doc, nested);
    const description = firstSentence(doc.description);
    if (description) option.description = description;
    options[name] = option;
  }
  return options;
}

/** Every alias the options of an argument spec declare. */
function aliasesOf(spec: Record<string, unknown>): Set<string> {
  return new Set(Object.values(spec).flatMap((option) => (isRecord(option) ? (stringList(option.aliases) ?? []) : [])));
}

/** An option's documentation: under its own name, or under one of its aliases when the documentation uses that name. */
function documentationOf(docs: Record<string, unknown>, name: string, real: Record<string, unknown> | undefined): Record<string, unknown> {
  if (isRecord(docs[name])) return docs[name];
  const alias = (stringList(real?.aliases) ?? []).find((candidate) => isRecord(docs[candidate]));
  return alias ? (docs[alias] as Record<string, unknown>) : {};
}

function groups(value: unknown): string[][] | undefined {
  if (!Array.isArray(value)) return undefined;
  const list = value.filter((group): group is string[] => stringList(group) !== undefined);
  return list.length ? list : undefined;
}

function requiredIf(value: unknown): Array<[string, unknown, string[], boolean?]> | undefined {
  if (!Array.isArray(value)) return undefined;
  const list: Array<[string, unknown, string[], boolean?]> = [];
  for (const entry of value) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
    const required = stringList(entry[2]);
    if (!required) continue;
    list.push(entry[3] === true ? [entry[0], entry[1], required, true] : [entry[0], entry[1], required]);
  }
  return list.length ? list : undefined;
}

/**
 * One module: `entry` is a value of `ansible-doc --json`'s top-level map (`{doc, examples,
 * metadata, return}`), `argumentSpec` what scripts/ansible-argument-specs.py recorded for it.
 * Returns the reason as words when the entry has no usable documentation.
 */
export function convertAnsibleDoc(fqcn: string, entry: unknown, argumentSpec?: unknown): ModuleSpec | string {
  const doc = isRecord(entry) && isRecord(entry.doc) ? entry.doc : undefined;
  if (!doc) return `${fqcn}: ansible-doc gave no documentation`;
  const documented = isRecord(doc.options) ? doc.options : {};
  const recorded = isRecord(argumentSpec) ? argumentSpec : undefined;
  const spec: ModuleSpec = {
    fqcn,
    shortDescription: typeof doc.short_description === 'string' ? stripMarkup(doc.short_description) : '',
    options: mergeOptions(documented, recorded?.argument_spec),
  };
  if (Object.keys(documented).some((name) => FREE_FORM_OPTIONS.has(name))) spec.freeForm = true;
  if (MODULES_TAKING_ANY_ARGUMENT.has(fqcn)) spec.anyOptions = true;
  const mutuallyExclusive = groups(recorded?.mutually_exclusive);
  if (mutuallyExclusive) spec.mutuallyExclusive = mutuallyExclusive;
  const requiredOneOf = groups(recorded?.required_one_of);
  if (requiredOneOf) spec.requiredOneOf = requiredOneOf;
  const requiredTogether = groups(recorded?.required_together);
  if (requiredTogether) spec.requiredTogether = requiredTogether;
  const conditions = requiredIf(recorded?.required_if);
  if (conditions) spec.requiredIf = conditions;
  return spec;
}

/** Every module of one `ansible-doc --json` answer, sorted by name; entries without documentation are reported. */
export function convertAnsibleDocs(
  answer: unknown,
  argumentSpecs: Record<string, unknown> = {},
): { modules: ModuleSpec[]; problems: string[] } {
  const modules: ModuleSpec[] = [];
  const problems: string[] = [];
  if (!isRecord(answer)) return { modules, problems: ['ansible-doc did not answer with a JSON object'] };
  for (const fqcn of Object.keys(answer).sort()) {
    const converted = convertAnsibleDoc(fqcn, answer[fqcn], argumentSpecs[fqcn]);
    if (typeof converted === 'string') problems.push(converted);
    else modules.push(converted);
  }
  return { modules, problems };
}
