/**
 * The module catalogue: resolves module names as a task writes them to their specs. Pure.
 *
 * Ansible resolves a short name (`apt`) through `ansible.legacy`, which is `ansible.builtin`
 * plus the modules of local `library/` folders; those are unknown here, so a short name means
 * its `ansible.builtin` module. A short name that is not built in resolves to a collection
 * module only when exactly one loaded collection has a module of that name (as with a play's
 * `collections:` keyword); two candidates are ambiguous and resolve to nothing, so the checks
 * never judge arguments against the wrong module.
 */
import type { AnsibleModuleBundle } from '../schemas/bundle';
import type { ModuleCatalog, ModuleSpec } from './types';

const BUILTIN = 'ansible.builtin.';
const LEGACY = 'ansible.legacy.';

/** `community.general.ufw` → `ufw`. */
function shortName(fqcn: string): string {
  return fqcn.slice(fqcn.lastIndexOf('.') + 1);
}

/**
 * A catalogue over `specs` (ansible.builtin and any collections). When two specs have the same
 * FQCN the first wins, so callers list the bundled ansible.builtin specs first.
 */
export function createModuleCatalog(specs: readonly ModuleSpec[]): ModuleCatalog {
  const byFqcn = new Map<string, ModuleSpec>();
  for (const spec of specs) if (!byFqcn.has(spec.fqcn)) byFqcn.set(spec.fqcn, spec);

  // Short names of collection modules; undefined marks a name two collections share.
  const collectionShortNames = new Map<string, ModuleSpec | undefined>();
  for (const spec of byFqcn.values()) {
    if (spec.fqcn.startsWith(BUILTIN)) continue;
    const name = shortName(spec.fqcn);
    collectionShortNames.set(name, collectionShortNames.has(name) ? undefined : spec);
  }
  const sortedNames = [...byFqcn.keys()].sort();

  return {
    resolve(name: string): ModuleSpec | undefined {
      const exact = byFqcn.get(name);
      if (exact) return exact;
      if (name.startsWith(LEGACY)) return byFqcn.get(BUILTIN + name.slice(LEGACY.length));
      if (name.includes('.')) return undefined;
      return byFqcn.get(BUILTIN + name) ?? collectionShortNames.get(name);
    },
    names(): string[] {
      return [...sortedNames];
    },
  };
}

/**
 * `base` (the bundled ansible.builtin catalogue) with the modules of loaded collections added:
 * what the base resolves keeps its meaning, and collection modules resolve as in a catalogue of their own.
 */
export function extendModuleCatalog(base: ModuleCatalog, collectionSpecs: readonly ModuleSpec[]): ModuleCatalog {
  const collections = createModuleCatalog(collectionSpecs);
  const names = [...new Set([...base.names(), ...collections.names()])].sort();
  return {
    resolve: (name) => base.resolve(name) ?? collections.resolve(name),
    names: () => [...names],
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a module-spec file (the bundled `ansible.builtin.json` or a cache of installed
 * collections): the bundle, or what is wrong with it in words.
 */
export function parseModuleBundle(text: string): AnsibleModuleBundle | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  if (!isRecord(value) || typeof value.ansibleVersion !== 'string' || !Array.isArray(value.modules)) {
    return 'expected {"ansibleVersion": "...", "modules": [...]}';
  }
  const broken = value.modules.findIndex((module) => !isRecord(module) || typeof module.fqcn !== 'string' || !isRecord(module.options));
  if (broken >= 0) return `modules[${broken}] is not a module spec (fqcn and options)`;
  return value as unknown as AnsibleModuleBundle;
}
