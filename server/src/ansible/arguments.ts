/**
 * Checks a task's module arguments against the module's argument spec, as Ansible's
 * AnsibleModule does before the module runs: unknown arguments (aliases accepted), missing
 * required ones, types with Ansible's own coercions (`yes` is a bool, `"8"` an int), choices,
 * and the spec's mutually_exclusive / required_one_of / required_together / required_if.
 * A templated value is always accepted: it is known only once Ansible renders it.
 */
import { closestMatch } from '../core/spelling';
import type { Finding, Range, Severity } from '../core/types';
import { resolveAlias, type YamlNode } from '../yaml/compose';
import { firstLineRange } from '../yaml/lines';
import { parseKeyValueArguments } from './kvArguments';
import { sourceSpanOfValue } from './scalarSource';
import { keyName, splitActionString } from './parse';
import { describeValue, isTemplated } from './schemaErrors';
import type { AnsibleFile, AnsibleTask, ModuleCatalog, ModuleOption, ModuleSpec, TaskAction } from './types';
import { Yaml11Reader } from './yaml11';

export const ARGUMENTS_RULE = 'ansible/module-arguments';
export const UNKNOWN_MODULE_RULE = 'ansible/unknown-module';

/**
 * ansible.builtin modules of ansible-core releases newer than the bundled specs: a task may
 * use them, so their names are never called unknown.
 */
const LATER_BUILTIN_MODULES = new Set(['deb822_repository', 'dnf5', 'mount_facts']);

/** Keys Ansible itself passes to free-form modules. */
const FREE_FORM_KEYS = new Set(['_raw_params', 'free_form', '_uses_shell']);

/** Includes and imports are run by the engine, not by a module: their documented types are not enforced. */
const ENGINE_ACTIONS = /\.(include|import)_(tasks|role)$/;

interface Argument {
  name: string;
  value: unknown;
  keyRange: Range;
  valueRange: Range;
}

interface ArgumentSet {
  arguments: Argument[];
  /** The free-form text given to the module, if any, and where it is. */
  freeForm: { text: string; range: Range } | undefined;
  /** The arguments are a template (`apt: "{{ params }}"`): nothing can be checked. */
  templated: boolean;
}

export function checkTaskArguments(file: AnsibleFile, tasks: readonly AnsibleTask[], modules: ModuleCatalog): Finding[] {
  const findings: Finding[] = [];
  const visit = (task: AnsibleTask): void => {
    if (task.action) findings.push(...checkAction(file, task.action, modules));
    task.children.forEach(visit);
  };
  tasks.forEach(visit);
  return findings;
}

export function checkAction(file: AnsibleFile, action: TaskAction, modules: ModuleCatalog): Finding[] {
  if (!action.module) return unknownModule(file, action, modules);
  if (isTemplated(action.name)) return [];
  const spec = action.module;
  const given = collectArguments(file, action, spec);
  if (given.templated) return [];
  return new ArgumentChecker(file, action, spec, given).run();
}

function unknownModule(file: AnsibleFile, action: TaskAction, modules: ModuleCatalog): Finding[] {
  const name = action.name;
  // The removed `include` is reported as deprecated by the structure checks.
  if (!name || isTemplated(name) || /^((ansible\.(builtin|legacy)\.)?include)$/.test(name)) return [];
  const builtin = !name.includes('.') || name.startsWith('ansible.builtin.') || name.startsWith('ansible.legacy.');
  // A module of another collection may well exist: without its spec, say nothing rather than something false.
  if (!builtin) return [];
  const short = name.slice(name.lastIndexOf('.') + 1);
  const builtinNames = modules.names().filter((n) => n.startsWith('ansible.builtin.')).map((n) => n.slice('ansible.builtin.'.length));
  // Without the bundled specs nothing is known about ansible.builtin.
  if (builtinNames.length === 0 || LATER_BUILTIN_MODULES.has(short)) return [];
  const suggestion = closestMatch(short, builtinNames);
  const at = keyName(action.pair) === name ? action.pair.key : (action.args ?? action.pair.key);
  const range = firstLineRange(file.lines, at.start, at.end);
  if (suggestion) {
    const replacement = name.includes('.') ? `ansible.builtin.${suggestion}` : suggestion;
    // Written fully qualified, the name can only mean an ansible.builtin module, and Ansible refuses it; a short
    // name may still be a module of a library/ folder or of a collection the play lists.
    const certain = name.startsWith('ansible.builtin.');
    return [{
      range,
      severity: certain ? 'error' : 'warning',
      rule: UNKNOWN_MODULE_RULE,
      message: certain ? `Unknown module "${name}": ansible.builtin has no module "${short}". Did you mean "${replacement}"?` : `Unknown module "${name}". Did you mean "${replacement}"?`,
      fixes: keyName(action.pair) === name ? [{ title: `Change "${name}" to "${replacement}"`, edits: [{ range: file.lines.rangeOf(at.start, at.end), newText: replacement }] }] : undefined,
    }];
  }
  if (name.startsWith('ansible.builtin.')) {
    return [{ range, severity: 'warning', rule: UNKNOWN_MODULE_RULE, message: `"${name}" is not an ansible.builtin module.` }];
  }
  return [{
    range,
    severity: 'info',
    rule: UNKNOWN_MODULE_RULE,
    message: `Module "${name}" is not an ansible.builtin module: it must come from a collection (the play's collections:) or a library/ folder. Its arguments are not checked.`,
  }];
}

function collectArguments(file: AnsibleFile, action: TaskAction, spec: ModuleSpec): ArgumentSet {
  const set: ArgumentSet = { arguments: [], freeForm: undefined, templated: false };
  const values = new Yaml11Reader(file.lines.text);
  const explicit = keyName(action.pair) === 'action' || keyName(action.pair) === 'local_action';
  const addMap = (node: YamlNode): void => {
    const map = resolveAlias(node);
    if (map.kind !== 'map') return;
    for (const pair of map.pairs) {
      const name = keyName(pair);
      if (name === undefined || name === '<<' || (explicit && map === resolveAlias(action.pair.value) && name === 'module')) continue;
      set.arguments.push({ name, value: values.value(pair.value), keyRange: firstLineRange(file.lines, pair.key.start, pair.key.end), valueRange: firstLineRange(file.lines, pair.value.start, pair.value.end) });
    }
  };
  const args = action.args && resolveAlias(action.args);
  if (args?.kind === 'map') addMap(args);
  else if (args?.kind === 'scalar' && typeof args.value === 'string') {
    const whole = args.value;
    const offset = explicit ? splitActionString(whole).argsOffset : 0;
    const text = whole.slice(offset);
    if (isTemplated(text) && /^\s*\{\{[^}]*\}\}\s*$/.test(text)) set.templated = true;
    const known = new Set(Object.entries(spec.options).flatMap(([name, option]) => [name, ...(option.aliases ?? [])]));
    const parsed = parseKeyValueArguments(text, spec.freeForm ? (key) => known.has(key) : undefined);
    const rangeAt = (start: number, end: number): Range => {
      const span = sourceSpanOfValue(file.lines.text, args, offset + start, offset + end);
      return span.exact ? file.lines.rangeOf(span.start, span.end) : firstLineRange(file.lines, args.start, args.end);
    };
    for (const pair of parsed.pairs) {
      set.arguments.push({ name: pair.key, value: pair.value, keyRange: rangeAt(pair.start, pair.start + pair.key.length), valueRange: rangeAt(pair.start + pair.key.length + 1, pair.end) });
    }
    if (parsed.freeForm) set.freeForm = { text: parsed.freeForm, range: rangeAt(parsed.freeFormStart ?? 0, text.length) };
  } else if (args?.kind === 'scalar' && args.value !== null && !explicit) {
    set.freeForm = { text: String(args.value), range: firstLineRange(file.lines, args.start, args.end) };
  }
  if (action.extraArgs) addMap(action.extraArgs);
  return set;
}

/** The option an argument names, by its name or an alias. */
function optionNamed(spec: ModuleSpec, name: string): [string, ModuleOption] | undefined {
  if (Object.hasOwn(spec.options, name)) return [name, spec.options[name]];
  for (const [optionName, option] of Object.entries(spec.options)) if (option.aliases?.includes(name)) return [optionName, option];
  return undefined;
}

const TRUE_WORDS = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const FALSE_WORDS = new Set(['n', 'no', 'off', '0', 'false', 'f']);

/** Why a value is not of an option's type under Ansible's coercions, or undefined when it is. */
export function typeProblem(type: string | undefined, value: unknown): string | undefined {
  if (value === null || isTemplated(value)) return undefined;
  switch (type) {
    case 'bool':
    case 'boolean':
      if (typeof value === 'boolean' || (typeof value === 'number' && (value === 0 || value === 1))) return undefined;
      if (typeof value === 'string' && (TRUE_WORDS.has(value.toLowerCase()) || FALSE_WORDS.has(value.toLowerCase()))) return undefined;
      return 'a boolean (true/false, yes/no)';
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) return undefined;
      if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) return undefined;
      return 'an integer';
    case 'float':
      if (typeof value === 'number') return undefined;
      if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return undefined;
      return 'a number';
    case 'list':
      return typeof value === 'object' && !Array.isArray(value) ? 'a list (or a comma-separated string)' : undefined;
    case 'dict':
      if (typeof value === 'object' && !Array.isArray(value)) return undefined;
      if (typeof value === 'string' && (value.trim().startsWith('{') || value.includes('='))) return undefined;
      return 'a mapping';
    case 'bytes':
    case 'bits':
      if (typeof value === 'number' || (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*[a-zA-Z]*\s*$/.test(value))) return undefined;
      return `a size such as 10M`;
    case 'path':
      return typeof value === 'object' ? 'a path' : undefined;
    default:
      // str (Ansible converts any value to a string), raw, json, jsonarg: anything goes.
      return undefined;
  }
}

class ArgumentChecker {
  private readonly findings: Finding[] = [];
  /** Every name (option name and aliases) of the options given. */
  private readonly present = new Set<string>();

  constructor(
    private readonly file: AnsibleFile,
    private readonly action: TaskAction,
    private readonly spec: ModuleSpec,
    private readonly given: ArgumentSet,
  ) {}

  run(): Finding[] {
    const open = this.spec.anyOptions === true;
    const knownNames = Object.entries(this.spec.options).flatMap(([name, option]) => [name, ...(option.aliases ?? [])]);
    const values = new Map<string, unknown>();
    for (const argument of this.given.arguments) {
      const option = optionNamed(this.spec, argument.name);
      if (!option) {
        if (!open && !(this.spec.freeForm && FREE_FORM_KEYS.has(argument.name))) this.unknown(argument, knownNames);
        continue;
      }
      const [name, spec] = option;
      values.set(name, argument.value);
      for (const alias of [name, ...(spec.aliases ?? [])]) this.present.add(alias);
      this.value(argument, name, spec);
    }
    if (this.given.freeForm && !this.spec.freeForm) {
      // What the text was meant to be is unknown: checking required arguments too would only add noise.
      this.report(this.given.freeForm.range, `${this.moduleName()} does not take free-form text: give its arguments as a mapping or as key=value pairs.`);
      return this.findings;
    }
    if (!this.given.freeForm && !this.given.arguments.some((a) => FREE_FORM_KEYS.has(a.name))) this.required();
    this.relations(values);
    return this.findings;
  }

  private moduleName(): string {
    return this.action.name;
  }

  private report(range: Range, message: string, severity: Severity = 'error', fix?: { title: string; newText: string }): void {
    this.findings.push({ range, severity, rule: ARGUMENTS_RULE, message, fixes: fix ? [{ title: fix.title, edits: [{ range, newText: fix.newText }] }] : undefined });
  }

  private unknown(argument: Argument, knownNames: string[]): void {
    const suggestion = closestMatch(argument.name, knownNames);
    const listed = Object.keys(this.spec.options);
    const hint = suggestion
      ? ` Did you mean "${suggestion}"?`
      : listed.length ? ` It takes: ${listed.slice(0, 15).join(', ')}${listed.length > 15 ? ', …' : ''}.` : ' It takes no arguments.';
    this.report(argument.keyRange, `Unknown argument "${argument.name}" for ${this.moduleName()}.${hint}`, 'error', suggestion ? { title: `Change "${argument.name}" to "${suggestion}"`, newText: suggestion } : undefined);
  }

  private value(argument: Argument, name: string, option: ModuleOption): void {
    if (ENGINE_ACTIONS.test(this.spec.fqcn)) return;
    const problem = typeProblem(option.type, argument.value);
    if (problem) {
      this.report(argument.valueRange, `Wrong type for "${argument.name}" of ${this.moduleName()}: expected ${problem}, found ${describeValue(argument.value)}.`);
      return;
    }
    if (option.type === 'list' && option.elements) {
      const wrong = listElements(argument.value).find((element) => typeProblem(option.elements, element) !== undefined);
      if (wrong !== undefined) {
        this.report(argument.valueRange, `Wrong type in "${argument.name}" of ${this.moduleName()}: its items must be ${typeProblem(option.elements, wrong)}, found ${describeValue(wrong)}.`);
        return;
      }
    }
    if (!option.choices?.length || option.type === 'bool') return;
    const elements = option.type === 'list' ? listElements(argument.value) : [argument.value];
    const allowed = option.choices.map(String);
    for (const element of elements) {
      if (element === null || isTemplated(element) || typeof element === 'object') continue;
      if (allowed.includes(String(element)) || isBooleanChoice(element, allowed)) continue;
      const suggestion = closestMatch(String(element), allowed);
      this.report(
        argument.valueRange,
        `${JSON.stringify(element)} is not a valid "${name}" for ${this.moduleName()}. Allowed: ${allowed.join(', ')}.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`,
        'error',
        suggestion && elements.length === 1 && typeof argument.value === 'string' ? { title: `Change to "${suggestion}"`, newText: suggestion } : undefined,
      );
    }
  }

  private required(): void {
    const missing = Object.entries(this.spec.options).filter(([name, option]) => option.required && name !== 'free_form' && ![name, ...(option.aliases ?? [])].some((n) => this.present.has(n)));
    if (missing.length === 0) return;
    const names = missing.map(([name]) => `"${name}"`).join(', ');
    this.report(this.anchor(), `${this.moduleName()} is missing the required argument${missing.length > 1 ? 's' : ''} ${names}.`);
  }

  private relations(values: Map<string, unknown>): void {
    const has = (name: string): boolean => this.present.has(name);
    for (const group of this.spec.mutuallyExclusive ?? []) {
      const given = group.filter(has);
      if (given.length > 1) this.report(this.anchor(), `${this.moduleName()}: ${quoteList(given)} cannot be used together.`);
    }
    for (const group of this.spec.requiredOneOf ?? []) {
      if (!group.some(has)) this.report(this.anchor(), `${this.moduleName()} needs one of ${quoteList(group, 'or')}.`);
    }
    for (const group of this.spec.requiredTogether ?? []) {
      const given = group.filter(has);
      if (given.length > 0 && given.length < group.length) {
        this.report(this.anchor(), `${this.moduleName()}: ${quoteList(group)} must be given together (missing ${quoteList(group.filter((n) => !has(n)))}).`);
      }
    }
    for (const [option, expected, requirements, anyOf] of this.spec.requiredIf ?? []) {
      const actual = values.get(option);
      if (actual === undefined || isTemplated(actual) || String(actual) !== String(expected)) continue;
      const missing = requirements.filter((n) => !has(n));
      const unmet = anyOf ? missing.length === requirements.length : missing.length > 0;
      if (unmet) this.report(this.anchor(), `${this.moduleName()}: ${option}=${String(expected)} needs ${anyOf ? `one of ${quoteList(requirements, 'or')}` : quoteList(missing)}.`);
    }
  }

  /** Relations are reported on the module's key: they concern the arguments as a whole. */
  private anchor(): Range {
    const key = this.action.pair.key;
    return firstLineRange(this.file.lines, key.start, key.end);
  }
}

/**
 * YAML turns `yes` into a boolean before a module sees it; Ansible turns it back into the one
 * choice of the same truth (`upgrade: yes` of apt, whose choices include "yes").
 */
function isBooleanChoice(element: unknown, allowed: readonly string[]): boolean {
  const truth = booleanWord(element);
  if (truth === undefined) return false;
  return allowed.filter((choice) => booleanWord(choice) === truth).length === 1;
}

function booleanWord(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const word = typeof value === 'string' ? value.toLowerCase() : undefined;
  if (word !== undefined && TRUE_WORDS.has(word)) return true;
  if (word !== undefined && FALSE_WORDS.has(word)) return false;
  return undefined;
}

function listElements(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return value.split(',').map((part) => part.trim());
  return [value];
}

function quoteList(names: readonly string[], conjunction = 'and'): string {
  const quoted = names.map((n) => `"${n}"`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted[quoted.length - 1]}` : quoted[0];
}
