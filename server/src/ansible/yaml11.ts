/**
 * Ansible reads YAML with PyYAML's YAML 1.1 resolver, our position tree resolves plain
 * scalars with YAML 1.2's core schema (what Kubernetes uses). They differ on a few plain
 * words: `yes`/`no`/`on`/`off` are booleans in 1.1 and strings in 1.2, `0755` is octal,
 * `1_000` and `1:30` (base 60) are integers, while `0o17` and `1e3` are numbers only in 1.2.
 * Whatever checks an Ansible value's type reads it through here, so `become: yes` is the
 * boolean Ansible sees. Kubernetes files never pass through this module.
 */
import { resolveAlias, valueOf, type ScalarValue, type YamlMap, type YamlNode, type YamlScalar } from '../yaml/compose';

const TRUE_1_1 = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const FALSE_1_1 = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const INT_1_1 = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT_1_1 = /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const NULL_1_1 = /^(?:~|null|Null|NULL|)$/;
const MAY_DIFFER = /^[-+.0-9yYnNoO]/;

/** `1:30:00` → 5400: YAML 1.1's base-60 numbers. */
function sexagesimal(digits: string): number {
  return digits.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

/** The value PyYAML gives a plain scalar's text (timestamps stay text: Ansible turns them back into strings where it wants one). */
export function resolveYaml11Plain(text: string): ScalarValue {
  if (NULL_1_1.test(text)) return null;
  if (TRUE_1_1.test(text)) return true;
  if (FALSE_1_1.test(text)) return false;
  if (INT_1_1.test(text)) {
    const sign = text.startsWith('-') ? -1 : 1;
    const digits = text.replace(/^[-+]/, '').replace(/_/g, '');
    if (digits.startsWith('0b')) return sign * parseInt(digits.slice(2), 2);
    if (digits.startsWith('0x')) return sign * parseInt(digits.slice(2), 16);
    if (digits.includes(':')) return sign * sexagesimal(digits);
    if (digits.length > 1 && digits.startsWith('0')) return sign * parseInt(digits, 8);
    return sign * Number(digits);
  }
  if (FLOAT_1_1.test(text)) {
    const lower = text.toLowerCase();
    if (lower.endsWith('.nan')) return NaN;
    if (lower.endsWith('.inf')) return lower.startsWith('-') ? -Infinity : Infinity;
    const sign = text.startsWith('-') ? -1 : 1;
    const digits = text.replace(/^[-+]/, '').replace(/_/g, '');
    if (digits.includes(':')) {
      const [whole, fraction] = [digits.slice(0, digits.lastIndexOf(':')), digits.slice(digits.lastIndexOf(':') + 1)];
      return sign * (sexagesimal(whole) * 60 + Number(fraction));
    }
    return sign * Number(digits);
  }
  return text;
}

/** A plain scalar explicitly tagged (`!!str yes`) keeps the value its tag gave it. */
function isTagged(text: string, node: YamlScalar): boolean {
  let i = node.start - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  const before = text.slice(Math.max(0, i - 40), i + 1);
  return /(^|\s)![^\s]*$/.test(before);
}

/**
 * Reads nodes' values as YAML 1.1. Containers whose contents read the same in both versions
 * are returned as they are (the position tree's own objects), so this costs a walk, not a copy;
 * each node is read once, so aliases cannot multiply the work.
 */
export class Yaml11Reader {
  private readonly read = new Map<YamlNode, unknown>();

  constructor(private readonly text: string) {}

  value(node: YamlNode): unknown {
    if (this.read.has(node)) return this.read.get(node);
    // Set first: an alias cycle then reads the node's YAML 1.2 value instead of looping.
    this.read.set(node, valueOf(node));
    const value = this.compute(node);
    this.read.set(node, value);
    return value;
  }

  private compute(node: YamlNode): unknown {
    switch (node.kind) {
      case 'alias':
        return node.target ? this.value(node.target) : null;
      case 'scalar':
        return this.scalar(node);
      case 'seq': {
        const items = node.items.map((item) => this.value(item));
        return items.every((item, index) => Object.is(item, valueOf(node.items[index]))) ? node.value : items;
      }
      case 'map':
        return this.map(node);
    }
  }

  /** A mapping: the position tree's own object, or a copy with the values that read differently replaced. */
  private map(node: YamlMap): unknown {
    const patches: Array<[string, unknown]> = [];
    const taken = new Set<string>();
    for (const pair of node.pairs) {
      // Complex keys (a mapping as a key) are not Ansible's: their values are left as they are.
      if (isMergeKey(pair.key) || resolveAlias(pair.key).kind !== 'scalar') continue;
      const key = String(valueOf(pair.key));
      taken.add(key);
      const value = this.value(pair.value);
      if (!Object.is(value, valueOf(pair.value))) patches.push([key, value]);
    }
    // Merged keys apply where the mapping has none, the first merge first (as compose.ts merges them).
    for (const merge of node.merges) {
      const merged = this.value(merge);
      const changed = !Object.is(merged, valueOf(merge));
      for (const source of Array.isArray(merged) ? merged : [merged]) {
        if (typeof source !== 'object' || source === null) continue;
        for (const [key, value] of Object.entries(source)) {
          if (taken.has(key)) continue;
          taken.add(key);
          if (changed) patches.push([key, value]);
        }
      }
    }
    if (patches.length === 0) return node.value;
    const value = { ...node.value };
    // defineProperty: a `__proto__` key must stay data, never become the object's prototype.
    for (const [key, patched] of patches) Object.defineProperty(value, key, { value: patched, enumerable: true, writable: true, configurable: true });
    return value;
  }

  private scalar(node: YamlScalar): unknown {
    if (!node.plain || node.empty) return node.value;
    // Text that YAML 1.2 left a string differs in 1.1 only if it starts like a number or yes/no/on/off.
    if (typeof node.value === 'string' && !MAY_DIFFER.test(node.value)) return node.value;
    // A one-line plain scalar's source is its text; a longer one is always text.
    const source = typeof node.value === 'string' ? node.value : this.text.slice(node.start, node.end);
    const value = resolveYaml11Plain(source);
    if (Object.is(value, node.value) || source.includes('\n') || isTagged(this.text, node)) return node.value;
    return value;
  }
}

function isMergeKey(key: YamlNode): boolean {
  return key.kind === 'scalar' && key.plain && key.value === '<<';
}

