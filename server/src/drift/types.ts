/**
 * The vocabulary of drift: what git declares against what is live, per resource. The pure
 * comparison (Kubernetes by meaning, Terraform and Ansible from their tools' reports)
 * produces these; the CLI prints them and the server sends them to the panel as they are,
 * so every value here is plain JSON and already masked.
 */
import type { Range } from '../core/types';

export type DriftStatus = 'in-sync' | 'drifted' | 'missing' | 'unmanaged';

export type DriftSourceKind = 'kubernetes' | 'terraform' | 'ansible';

/** Who last wrote a field, from Kubernetes `managedFields`. */
export interface FieldManager {
  manager: string;
  operation: string;
  /** RFC 3339, as the API server gives it. */
  time?: string;
}

/** One field that differs. Values are masked (Secret data never appears) before they get here. */
export interface FieldDrift {
  /** Dotted path with list items by merge key: `spec.template.spec.containers[name=web].image`. */
  path: string;
  /** Undefined when git declares the field and live lacks it. */
  desired?: unknown;
  /** Undefined when live lacks the field. */
  live?: unknown;
  /** In words: "replicas is 5 live, git declares 3". */
  explanation: string;
  changedBy?: FieldManager;
  /** The range of the value (or, when git lacks the field, of its parent key) in the manifest, for "Adopt live value" and code lenses. */
  declaredRange?: Range;
  /** The file of `declaredRange` when it is not the resource's own (a kustomize patch wrote the field). */
  declaredUri?: string;
}

export interface DeclaredAt {
  uri: string;
  range: Range;
}

export interface DriftResource {
  source: DriftSourceKind;
  /** Stable within a report: `apps/v1/Deployment/shop/web`, a Terraform address, or `file:line` of a task. */
  id: string;
  /** Kubernetes identity; `namespace` is "" for cluster-scoped objects. Empty strings for other sources. */
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  status: DriftStatus;
  fields: FieldDrift[];
  /** Where git declares it (absent for unmanaged resources). */
  declaredAt?: DeclaredAt;
  /** True when the comparison could only be approximate (e.g. Terraform state without a refresh). */
  approximate?: boolean;
  /** Ansible: the inventory host the task would change. */
  host?: string;
  /** Why the resource has its status when its fields cannot say (a `missing` object whose kind the cluster does not serve). */
  explanation?: string;
  /** Normalised, masked YAML of both sides for a diff editor (absent side: empty). */
  desiredText?: string;
  liveText?: string;
}

export interface DriftEnvironment {
  /** What the user recognises: a kubeconfig context, a snapshot file, a Terraform folder, an inventory. */
  name: string;
  source: DriftSourceKind;
  /** When the live state was read, RFC 3339. */
  asOf: string;
  /** Set when the live state could not be read (unreachable, 401/403, tool missing): words with a next step. */
  error?: string;
  /** How the live state was read when that limits the results (e.g. why Terraform drift is only approximate): words with a next step. */
  note?: string;
  resources: DriftResource[];
}

export interface DriftReport {
  environments: DriftEnvironment[];
}
