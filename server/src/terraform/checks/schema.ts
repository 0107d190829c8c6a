/**
 * The blocks the Terraform language itself defines (not providers): their labels, arguments
 * and nested blocks, and the version that introduced them. Provider-defined content (the body
 * of a resource, a provider or a backend) is `open`: only its meta-arguments are known here.
 * Also used by completion and hover, hence the descriptions.
 */
import type { TerraformVersion } from './context';

export interface ArgumentSchema {
  required?: boolean;
  description: string;
  /** First Terraform version that accepts it. */
  since?: [number, number];
}

export interface BlockSchema {
  labels: string[];
  description: string;
  since?: [number, number];
  arguments: Record<string, ArgumentSchema>;
  blocks: Record<string, BlockSchema>;
  /**
   * What else is allowed: `arguments` (module inputs, local values, provider names) or `all`
   * (a provider's or backend's schema, which is not ours to check).
   */
  open?: 'arguments' | 'all';
}

const conditionBlock = (description: string): BlockSchema => ({
  labels: [],
  description,
  arguments: {
    condition: { required: true, description: 'An expression that must be true; otherwise Terraform reports error_message.' },
    error_message: { required: true, description: 'The message shown when the condition is false.' },
  },
  blocks: {},
});

const precondition = conditionBlock('A condition checked before the object is planned.');
const postcondition = conditionBlock('A condition checked after the object is planned or applied; `self` refers to the object.');

const connection: BlockSchema = { labels: [], description: 'How provisioners connect to the remote resource (ssh or winrm).', arguments: {}, blocks: {}, open: 'all' };

const provisioner: BlockSchema = {
  labels: ['type'],
  description: 'An action run on the local machine or the remote resource at creation or destruction.',
  arguments: {
    when: { description: '`destroy` to run when the resource is destroyed instead of created.' },
    on_failure: { description: '`continue` or `fail` (the default).' },
  },
  blocks: { connection },
  open: 'all',
};

const countArgument: ArgumentSchema = { description: 'How many instances to create; `count.index` is the instance number.' };
const forEachArgument: ArgumentSchema = { description: 'A map or set of strings: one instance per element; `each.key` and `each.value` name it.' };
const providerArgument: ArgumentSchema = { description: 'The provider configuration to use, as `NAME.ALIAS`.' };
const dependsOnArgument: ArgumentSchema = { description: 'Hidden dependencies: resources or modules this one must wait for.' };

const resourceLifecycle: BlockSchema = {
  labels: [],
  description: 'How Terraform creates, updates and destroys the resource.',
  arguments: {
    create_before_destroy: { description: 'Create the replacement before destroying the current object.' },
    prevent_destroy: { description: 'Reject any plan that would destroy this resource.' },
    ignore_changes: { description: 'Attributes whose changes Terraform ignores after creation, or `all`.' },
    replace_triggered_by: { description: 'Replace this resource when any of these referenced resources or attributes change.', since: [1, 2] },
  },
  blocks: { precondition, postcondition },
};

const dataLifecycle: BlockSchema = { labels: [], description: 'Conditions on the data source.', arguments: {}, blocks: { precondition, postcondition } };

/** `dynamic "name" { for_each, iterator, labels, content { } }` generates nested blocks of a provider's schema. */
export const DYNAMIC_BLOCK: BlockSchema = {
  labels: ['block type'],
  description: 'Generates one nested block per element of for_each.',
  arguments: {
    for_each: { required: true, description: 'The collection to generate a block for each element of.' },
    iterator: { description: 'The name of the temporary variable for the current element (the block type by default).' },
    labels: { description: 'The labels of each generated block.' },
  },
  blocks: { content: { labels: [], description: 'The body of each generated block.', arguments: {}, blocks: {}, open: 'all' } },
};

export const TOP_LEVEL_BLOCKS: Record<string, BlockSchema> = {
  terraform: {
    labels: [],
    description: 'Settings for Terraform itself: required version, providers and backend.',
    arguments: {
      required_version: { description: 'The Terraform versions this configuration works with, e.g. `>= 1.5`.' },
      experiments: { description: 'Experimental language features to opt into.' },
    },
    blocks: {
      required_providers: { labels: [], description: 'The providers this module uses: local name = { source, version }.', arguments: {}, blocks: {}, open: 'arguments' },
      backend: { labels: ['type'], description: 'Where Terraform stores state.', arguments: {}, blocks: {}, open: 'all' },
      cloud: { labels: [], description: 'HCP Terraform or Terraform Enterprise settings.', arguments: {}, blocks: {}, open: 'all' },
      provider_meta: { labels: ['provider'], description: 'Module metadata for a provider.', arguments: {}, blocks: {}, open: 'all' },
    },
  },
  provider: {
    labels: ['name'],
    description: 'A provider configuration.',
    arguments: {
      alias: { description: 'A name for an extra configuration of the same provider, used as `provider = NAME.ALIAS`.' },
      version: { description: 'Deprecated: set versions in `terraform { required_providers { } }`.' },
    },
    blocks: {},
    open: 'all',
  },
  variable: {
    labels: ['name'],
    description: 'An input variable of the module, referenced as `var.NAME`.',
    arguments: {
      type: { description: 'The type constraint, e.g. `string`, `list(number)`, `object({ name = string })`.' },
      default: { description: 'The value used when none is given; without it the variable is required.' },
      description: { description: 'What the variable is for, shown to users of the module.' },
      sensitive: { description: 'Hide the value in plan and apply output.', since: [0, 14] },
      nullable: { description: 'Whether `null` is an acceptable value (true by default).', since: [1, 1] },
      ephemeral: { description: 'The value is available during this run only and never stored.', since: [1, 10] },
    },
    blocks: { validation: conditionBlock('A rule the value must satisfy.') },
  },
  output: {
    labels: ['name'],
    description: 'An output value of the module, referenced by callers as `module.NAME.OUTPUT`.',
    arguments: {
      value: { required: true, description: 'The value to return.' },
      description: { description: 'What the output is.' },
      sensitive: { description: 'Hide the value in plan and apply output.' },
      depends_on: dependsOnArgument,
      ephemeral: { description: 'The value is available during this run only (child modules only).', since: [1, 10] },
    },
    blocks: { precondition },
  },
  locals: { labels: [], description: 'Local values, referenced as `local.NAME`.', arguments: {}, blocks: {}, open: 'arguments' },
  module: {
    labels: ['name'],
    description: 'A call to a child module; its other arguments set the module\'s input variables.',
    arguments: {
      source: { required: true, description: 'Where the module is: a local path (`./modules/x`), a registry address, a Git URL...' },
      version: { description: 'The accepted versions of a registry module.' },
      count: countArgument,
      for_each: forEachArgument,
      providers: { description: 'Provider configurations passed to the module: `{ aws = aws.west }`.' },
      depends_on: dependsOnArgument,
    },
    blocks: {},
    open: 'arguments',
  },
  resource: {
    labels: ['type', 'name'],
    description: 'A managed resource, referenced as `TYPE.NAME`.',
    arguments: { count: countArgument, for_each: forEachArgument, provider: providerArgument, depends_on: dependsOnArgument },
    blocks: { lifecycle: resourceLifecycle, provisioner, connection, dynamic: DYNAMIC_BLOCK },
    open: 'all',
  },
  data: {
    labels: ['type', 'name'],
    description: 'A data source, referenced as `data.TYPE.NAME`.',
    arguments: { count: countArgument, for_each: forEachArgument, provider: providerArgument, depends_on: dependsOnArgument },
    blocks: { lifecycle: dataLifecycle, dynamic: DYNAMIC_BLOCK },
    open: 'all',
  },
  ephemeral: {
    labels: ['type', 'name'],
    description: 'An ephemeral resource, referenced as `ephemeral.TYPE.NAME`; its data is never stored.',
    since: [1, 10],
    arguments: { count: countArgument, for_each: forEachArgument, provider: providerArgument, depends_on: dependsOnArgument },
    blocks: { lifecycle: dataLifecycle, dynamic: DYNAMIC_BLOCK },
    open: 'all',
  },
  moved: {
    labels: [],
    description: 'Records that a resource or module moved to a new address, so Terraform moves its state instead of replacing it.',
    since: [1, 1],
    arguments: {
      from: { required: true, description: 'The old address.' },
      to: { required: true, description: 'The new address.' },
    },
    blocks: {},
  },
  import: {
    labels: [],
    description: 'Imports an existing object into a resource of this configuration.',
    since: [1, 5],
    arguments: {
      to: { required: true, description: 'The resource address to import into.' },
      id: { required: true, description: 'The provider\'s identifier of the object.' },
      provider: providerArgument,
      for_each: { description: 'Import several objects; `each.key` and `each.value` name one.', since: [1, 7] },
    },
    blocks: {},
  },
  removed: {
    labels: [],
    description: 'Removes a resource or module from the configuration without necessarily destroying it.',
    since: [1, 7],
    arguments: { from: { required: true, description: 'The address of the removed resource or module.' } },
    blocks: {
      lifecycle: { labels: [], description: 'Whether to destroy the object.', arguments: { destroy: { description: '`false` keeps the object and only forgets it.' } }, blocks: {} },
      provisioner: { ...provisioner, since: [1, 9] },
      connection,
    },
  },
  check: {
    labels: ['name'],
    description: 'Assertions checked on every plan and apply, which warn instead of failing.',
    since: [1, 5],
    arguments: {},
    blocks: {
      data: { labels: ['type', 'name'], description: 'A data source scoped to this check.', arguments: {}, blocks: {}, open: 'all' },
      assert: conditionBlock('A condition that should be true.'),
    },
  },
};

export function supported(schema: { since?: [number, number] }, version: TerraformVersion): boolean {
  if (!schema.since) return true;
  const [major, minor] = schema.since;
  return version.major > major || (version.major === major && version.minor >= minor);
}

/** Labels that do not name a resource, but any Terraform name: letters, digits, `_` and `-`, starting with a letter or `_`. */
export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Variable names Terraform reserves for module-call arguments. */
export const RESERVED_VARIABLE_NAMES = new Set(['source', 'version', 'providers', 'count', 'for_each', 'lifecycle', 'depends_on', 'locals']);

/** The meta-arguments of a module call: everything else sets an input variable. */
export const MODULE_META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);
