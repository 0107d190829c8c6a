/**
 * The shape of the generated files in `schemas/` (made by `scripts/generate-schemas.ts`
 * from the upstream data, committed so the extension works offline). The runtime schema
 * store reads exactly these types; the generator writes exactly these types.
 */
import type { ModuleSpec } from '../ansible/types';

/** A JSON Schema (draft-07 flavoured, as ajv reads it). */
export type JsonSchema = Record<string, unknown>;

/** `schemas/kubernetes/v<MAJOR.MINOR>.json` */
export interface KubernetesSchemaBundle {
  /** `MAJOR.MINOR`, e.g. `1.36`. */
  version: string;
  /** One line saying where the definitions came from (upstream, tag). */
  source: string;
  /**
   * Swagger definitions after the validation fixes (IntOrString, Quantity, strict objects,
   * ports, labels). Internal `$ref`s keep the form `#/definitions/<name>`; the store
   * registers this object under the id in KUBERNETES_SCHEMA_ID.
   */
  definitions: Record<string, JsonSchema>;
  /** Every top-level kind the API serves, one entry per apiVersion. */
  kinds: KindEntry[];
}

export interface KindEntry {
  /** `apps/v1`, or `v1` for the core group. */
  apiVersion: string;
  kind: string;
  /** Name in `definitions`. */
  definition: string;
  /** False for cluster-scoped kinds (Namespace, ClusterRole, …). */
  namespaced: boolean;
}

/** `schemas/crds/<name>.json`, and also what a workspace CRD is turned into at run time. */
export interface CrdSchemaBundle {
  source: string;
  resources: CustomResourceSchema[];
}

export interface CustomResourceSchema {
  /** `argoproj.io/v1alpha1` */
  apiVersion: string;
  kind: string;
  namespaced: boolean;
  /** True when the CRD marks this version deprecated; the message is the CRD's own warning. */
  deprecated?: boolean;
  deprecationWarning?: string;
  /** The version's openAPIV3Schema after the fixes; `metadata` refers to ObjectMeta in the Kubernetes bundle. */
  schema: JsonSchema;
}

/** `schemas/kubernetes/deprecations.json` */
export interface ApiDeprecation {
  apiVersion: string;
  kind: string;
  /** `MAJOR.MINOR` */
  deprecatedIn: string;
  /** `MAJOR.MINOR`, or null when no removal is scheduled. */
  removedIn: string | null;
  /** apiVersion to move to, or null when there is none. */
  replacement: string | null;
  /** `k8s`, `cert-manager`, `istio`, … */
  component: string;
}

/** `schemas/index.json`: what the generated folder holds. */
export interface SchemaIndex {
  kubernetesVersions: string[];
  crdBundles: string[];
}

/** The `$id` under which a Kubernetes bundle's definitions are registered with ajv. */
export const KUBERNETES_SCHEMA_ID = 'k8s';
export const OBJECT_META_REF = `${KUBERNETES_SCHEMA_ID}#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`;

/**
 * `schemas/ansible/<name>.json`: ansible-lint's JSON schemas, copied unchanged. Each keeps its
 * upstream `$id` (a raw GitHub URL), so once all are added to ajv the relative reference in
 * `meta.json` to `role-arg-spec.json#/$defs/entry_point` resolves without any network access.
 */
export const ANSIBLE_SCHEMA_NAMES = ['inventory', 'meta', 'playbook', 'requirements', 'role-arg-spec', 'tasks', 'vars'] as const;
export type AnsibleSchemaName = (typeof ANSIBLE_SCHEMA_NAMES)[number];

/** `schemas/ansible/modules/ansible.builtin.json`, written by `scripts/generate-ansible-modules.ts`. */
export const ANSIBLE_BUILTIN_MODULES_FILE = 'ansible/modules/ansible.builtin.json';

/** The shape of the generated module-spec files (and of the on-disk cache of installed collections). */
export interface AnsibleModuleBundle {
  /** The ansible-core version whose `ansible-doc` described the modules, e.g. `2.14.18`. */
  ansibleVersion: string;
  modules: ModuleSpec[];
}
