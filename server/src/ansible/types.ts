/**
 * The vocabulary of the Ansible language: what kind of file a YAML file is, its plays, tasks
 * and handlers as nodes of our YAML position tree, and the module catalogue that resolves
 * module names to their argument specs. Checks and rules take these and return `Finding`s.
 */
import type { Finding, Range } from '../core/types';
import type { YamlMap, YamlNode, YamlPair } from '../yaml/compose';
import type { LineIndex } from '../yaml/lines';

/** What an Ansible YAML file is, decided by its path and content. */
export type AnsibleFileKind = 'playbook' | 'tasks' | 'handlers' | 'vars' | 'role-meta' | 'requirements' | 'inventory';

/** The module a task runs, as written and as resolved. */
export interface TaskAction {
  /** The module name as written: `apt`, `ansible.builtin.apt`, or the value of `action:`/`local_action:`. */
  name: string;
  /** The pair that names the module (`apt: ...`, or `action: apt ...`): its key is what to underline. */
  pair: YamlPair;
  /** The module's arguments: a mapping, a free-form string (`shell: echo hi`), or absent. */
  args: YamlNode | undefined;
  /** `args:` given beside the module (merged with `args` by Ansible). */
  extraArgs: YamlMap | undefined;
  /** The resolved module, when the catalogue knows it. */
  module: ModuleSpec | undefined;
}

export interface AnsibleTask {
  node: YamlMap;
  /** The value of `name:`, when it is a string. */
  name: string | undefined;
  /** Undefined for `block` tasks, `include_*`/`import_*` are actions like any module. */
  action: TaskAction | undefined;
  /** `block`, `rescue` and `always` children, in that order (empty for a plain task). */
  children: AnsibleTask[];
  isHandler: boolean;
}

export interface RoleReference {
  name: string;
  range: Range;
}

export interface AnsiblePlay {
  node: YamlMap;
  name: string | undefined;
  /** `import_playbook` entries are plays with this set and nothing else. */
  importPlaybook: string | undefined;
  /** `pre_tasks`, `tasks` and `post_tasks`, in that order. */
  tasks: AnsibleTask[];
  handlers: AnsibleTask[];
  roles: RoleReference[];
}

/** One Ansible file, parsed. Plays are set for playbooks; `tasks` for task and handler files. */
export interface AnsibleFile {
  uri: string;
  kind: AnsibleFileKind;
  /** The root node of the (first) YAML document, when it parsed. */
  root: YamlNode | undefined;
  /** Turns the nodes' offsets (into the whole file's text) into ranges: `lines.rangeOf(node.start, node.end)`. */
  lines: LineIndex;
  plays: AnsiblePlay[];
  tasks: AnsibleTask[];
  /** YAML syntax problems, already as findings. */
  syntax: Finding[];
}

/** One option of a module's argument spec (as `ansible-doc --json` and `argument_spec` describe it). */
export interface ModuleOption {
  /** str, bool, int, float, list, dict, path, raw, jsonarg, json, bytes, bits, sid; absent means str. */
  type?: string;
  required?: boolean;
  choices?: Array<string | number | boolean>;
  default?: unknown;
  aliases?: string[];
  /** Element type of a list. */
  elements?: string;
  /** The first sentence of the description, for hover. */
  description?: string;
  suboptions?: Record<string, ModuleOption>;
}

export interface ModuleSpec {
  /** Fully qualified name: `ansible.builtin.apt`. */
  fqcn: string;
  shortDescription: string;
  options: Record<string, ModuleOption>;
  /** The module takes a free-form string (`command`, `shell`, `raw`, `script`, …). */
  freeForm?: boolean;
  /** The module takes any argument name besides its options (set_fact's are variables, add_host's host variables). */
  anyOptions?: boolean;
  mutuallyExclusive?: string[][];
  requiredOneOf?: string[][];
  requiredTogether?: string[][];
  /** [option, value, [options required when option == value], any?] as in argument_spec. */
  requiredIf?: Array<[string, unknown, string[], boolean?]>;
}

/** Resolves module names, short (`apt`) or fully qualified, to their specs. */
export interface ModuleCatalog {
  resolve(name: string): ModuleSpec | undefined;
  /** Every fully qualified name, for completion. */
  names(): string[];
}

/** What checks and rules are given besides the file. */
export interface AnsibleCheckContext {
  modules: ModuleCatalog;
  /** Whether a role of this name exists for this file (under a `roles/` folder the workspace knows). */
  roleExists(name: string, fromUri: string): boolean;
  /** Handler names and `listen` topics defined for a task file's role or play (undefined when unknown). */
  handlerNamesFor(uri: string): ReadonlySet<string> | undefined;
}

/** A rule or check: one job, pure, returns findings with a rule id (`ansible/...`). */
export type AnsibleCheck = (file: AnsibleFile, context: AnsibleCheckContext) => Finding[];
