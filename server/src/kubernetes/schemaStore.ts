/**
 * Kubernetes schemas at run time: the generated bundles in `schemas/`, plus the
 * CustomResourceDefinitions found in the workspace. Reading files is injected (the
 * SchemaFiles parameter), and validators compile lazily, one kind at a time, on first use:
 * opening a file of Deployments never pays for the other 300 kinds.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import {
  KUBERNETES_SCHEMA_ID,
  type ApiDeprecation,
  type CrdSchemaBundle,
  type CustomResourceSchema,
  type JsonSchema,
  type KubernetesSchemaBundle,
  type SchemaIndex,
} from '../schemas/bundle';

/** Reads a file of the generated `schemas/` folder by its relative path; undefined when absent. */
export interface SchemaFiles {
  read(relativePath: string): string | undefined;
}

export type SchemaOrigin = 'kubernetes' | 'bundled-crd' | 'workspace-crd';

export interface KindSchema {
  apiVersion: string;
  kind: string;
  namespaced: boolean;
  origin: SchemaOrigin;
  /** The schema to validate with: a `$ref` into the Kubernetes definitions, or a CRD's own schema. */
  schema: JsonSchema;
  deprecationWarning?: string;
}

const kindKey = (apiVersion: string, kind: string): string => `${apiVersion}\u0000${kind}`;

/** The schemas for one Kubernetes version, with the CRDs known to it. */
export class KubernetesSchemas {
  private readonly ajv: Ajv;
  private readonly builtIn = new Map<string, KindSchema>();
  private readonly bundledCrds = new Map<string, KindSchema>();
  private workspaceCrds = new Map<string, KindSchema>();
  private readonly validators = new WeakMap<JsonSchema, ValidateFunction>();
  private readonly definitions: Record<string, JsonSchema>;

  constructor(
    readonly version: string,
    bundle: KubernetesSchemaBundle,
    crdBundles: CrdSchemaBundle[],
  ) {
    this.definitions = bundle.definitions;
    this.ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, allowUnionTypes: true, verbose: true });
    this.ajv.addSchema({ $id: KUBERNETES_SCHEMA_ID, definitions: bundle.definitions });
    for (const entry of bundle.kinds) {
      this.builtIn.set(kindKey(entry.apiVersion, entry.kind), {
        apiVersion: entry.apiVersion,
        kind: entry.kind,
        namespaced: entry.namespaced,
        origin: 'kubernetes',
        schema: { $ref: `${KUBERNETES_SCHEMA_ID}#/definitions/${entry.definition}` },
      });
    }
    for (const crdBundle of crdBundles) {
      for (const resource of crdBundle.resources) this.bundledCrds.set(kindKey(resource.apiVersion, resource.kind), toKindSchema(resource, 'bundled-crd'));
    }
  }

  /** Replaces the CRDs taken from the workspace (they win over bundled CRDs of the same kind). */
  setWorkspaceCrds(resources: readonly CustomResourceSchema[]): void {
    const next = new Map<string, KindSchema>();
    for (const resource of resources) {
      const key = kindKey(resource.apiVersion, resource.kind);
      const previous = this.workspaceCrds.get(key);
      // Keep the compiled validator when the CRD did not change.
      next.set(key, previous && JSON.stringify(previous.schema) === JSON.stringify(resource.schema) ? previous : toKindSchema(resource, 'workspace-crd'));
    }
    for (const [key, old] of this.workspaceCrds) if (next.get(key) !== old) this.ajv.removeSchema(old.schema);
    this.workspaceCrds = next;
  }

  lookup(apiVersion: string, kind: string): KindSchema | undefined {
    const key = kindKey(apiVersion, kind);
    return this.builtIn.get(key) ?? this.workspaceCrds.get(key) ?? this.bundledCrds.get(key);
  }

  /** Every apiVersion that serves `kind`, built-in first. */
  apiVersionsOf(kind: string): string[] {
    const found = new Set<string>();
    for (const map of [this.builtIn, this.workspaceCrds, this.bundledCrds]) for (const entry of map.values()) if (entry.kind === kind) found.add(entry.apiVersion);
    return [...found];
  }

  /** All kind names, for "did you mean" and completion. */
  allKinds(): KindSchema[] {
    return [...this.builtIn.values(), ...this.workspaceCrds.values(), ...this.bundledCrds.values()];
  }

  validatorFor(entry: KindSchema): ValidateFunction {
    let validate = this.validators.get(entry.schema);
    if (!validate) {
      validate = this.ajv.compile(entry.schema);
      this.validators.set(entry.schema, validate);
    }
    return validate;
  }

  /**
   * Follows `$ref`s (for hover and completion): `#/definitions/<name>` and `k8s#/definitions/<name>`
   * name the Kubernetes definitions. With `root` (a CRD's own schema), a document-local ref
   * (`#/$defs/<name>`, `#/definitions/<name>`, any `#/…` JSON pointer) is looked up in `root`
   * first, as ajv reads it; one it does not find there (a ref inside ObjectMeta, say) falls back
   * to the Kubernetes definitions.
   */
  deref(schema: JsonSchema | undefined, root?: JsonSchema): JsonSchema | undefined {
    const isSchema = (value: unknown): value is JsonSchema => typeof value === 'object' && value !== null && !Array.isArray(value);
    const local = (ref: string): JsonSchema | undefined => {
      if (!root || !ref.startsWith('#')) return undefined;
      let target: unknown = root;
      let pointer: string;
      try {
        pointer = decodeURIComponent(ref.slice(1));
      } catch {
        return undefined;
      }
      if (pointer !== '' && !pointer.startsWith('/')) return undefined;
      for (const token of pointer.split('/').slice(1)) {
        const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
        if (typeof target !== 'object' || target === null || !Object.hasOwn(target, key)) return undefined;
        target = (target as Record<string, unknown>)[key];
      }
      return isSchema(target) ? target : undefined;
    };
    let current = schema;
    for (let hops = 0; current && typeof current.$ref === 'string' && hops < 20; hops++) {
      const ref: string = current.$ref;
      const found = local(ref);
      if (found) {
        current = found;
        continue;
      }
      const name = /#\/definitions\/(.+)$/.exec(ref)?.[1];
      current = name && Object.hasOwn(this.definitions, name) ? this.definitions[name] : undefined;
    }
    return current;
  }
}

function toKindSchema(resource: CustomResourceSchema, origin: SchemaOrigin): KindSchema {
  return {
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    namespaced: resource.namespaced,
    origin,
    schema: resource.schema,
    deprecationWarning: resource.deprecated ? resource.deprecationWarning ?? `${resource.apiVersion} ${resource.kind} is deprecated.` : undefined,
  };
}

/** Picks the bundle for a requested version; falls back to the nearest one we ship. */
export function chooseBundledVersion(requested: string, available: readonly string[]): string | undefined {
  if (available.includes(requested)) return requested;
  const minor = (version: string): number => Number(version.split('.')[1] ?? 0);
  return [...available].sort((a, b) => Math.abs(minor(a) - minor(requested)) - Math.abs(minor(b) - minor(requested)) || minor(b) - minor(a))[0];
}

/** Everything in `schemas/`, loaded on demand and kept for the life of the process. */
export class SchemaStore {
  private readonly byVersion = new Map<string, KubernetesSchemas>();
  private index: SchemaIndex | undefined;
  private crdBundles: CrdSchemaBundle[] | undefined;
  private deprecationList: ApiDeprecation[] | undefined;

  constructor(private readonly files: SchemaFiles) {}

  private readJson<T>(relativePath: string): T {
    const text = this.files.read(relativePath);
    if (text === undefined) throw new Error(`The schema file schemas/${relativePath} is missing; reinstall GitOps IaC or run \`npm run generate:schemas\`.`);
    return JSON.parse(text) as T;
  }

  availableVersions(): string[] {
    this.index ??= this.readJson<SchemaIndex>('index.json');
    return this.index.kubernetesVersions;
  }

  /** Schemas for the requested Kubernetes version, or the nearest bundled one (`note` says so). */
  forVersion(requested: string): { schemas: KubernetesSchemas; note?: string } {
    const version = chooseBundledVersion(requested, this.availableVersions());
    if (!version) throw new Error('No Kubernetes schemas are bundled.');
    let schemas = this.byVersion.get(version);
    if (!schemas) {
      this.index ??= this.readJson<SchemaIndex>('index.json');
      this.crdBundles ??= this.index.crdBundles.map((name) => this.readJson<CrdSchemaBundle>(`crds/${name}.json`));
      schemas = new KubernetesSchemas(version, this.readJson<KubernetesSchemaBundle>(`kubernetes/v${version}.json`), this.crdBundles);
      this.byVersion.set(version, schemas);
    }
    const note = version === requested ? undefined : `No schemas for Kubernetes ${requested} are bundled; validating against ${version}.`;
    return { schemas, note };
  }

  deprecations(): ApiDeprecation[] {
    this.deprecationList ??= this.readJson<ApiDeprecation[]>('kubernetes/deprecations.json');
    return this.deprecationList;
  }
}
