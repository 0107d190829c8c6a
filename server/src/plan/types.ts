/**
 * The vocabulary of a plan preview: what would change in the live environments if this branch
 * were merged and applied. Kubernetes (server-side apply dry-run), Terraform (`terraform plan`)
 * and Ansible (check mode) each produce a `PlanEnvironment`; the CLI, the PR body and the
 * webview render the same `PlanReport`. Every value here is plain JSON and already masked:
 * Secret data and Terraform sensitive values never reach this shape.
 */
import type { DeclaredAt } from '../drift/types';

export type PlanAction = 'create' | 'update' | 'replace' | 'delete' | 'no-op';

/** In the order reports list them: the most consequential last, so a reader's eye ends on it. */
export const PLAN_ACTIONS: readonly PlanAction[] = ['create', 'update', 'replace', 'delete', 'no-op'];

export type PlanSourceKind = 'kubernetes' | 'terraform' | 'ansible';

/**
 * `exact` when the tool that applies the change predicted it (a dry-run apply, `terraform plan`,
 * check mode); `approximate` when that was refused or unavailable and a local comparison stood in.
 */
export type PlanPrecision = 'exact' | 'approximate';

/** The text shown in place of a value that must not be revealed. */
export const MASKED_VALUE = '(sensitive value)';

/** One attribute that changes. A value is undefined when that side lacks the attribute. */
export interface AttributeChange {
  /** Dotted path with list items by merge key or index: `spec.replicas`, `containers[name=web].image`, `tags.env`. */
  path: string;
  before?: unknown;
  after?: unknown;
  /** True when the values were masked (Secret data, Terraform sensitive values). */
  sensitive?: boolean;
  /** Terraform: the value is known only after apply. */
  unknownAfter?: boolean;
}

export interface PlanResource {
  source: PlanSourceKind;
  /** Stable within an environment: `apps/v1/Deployment/shop/web`, a Terraform address, or `file:line` of a task. */
  id: string;
  /** What a reader recognises: `Deployment shop/web`, `terraform_data.app`, a task name. */
  title: string;
  action: PlanAction;
  precision: PlanPrecision;
  /** Why the resource is approximate, or why it is replaced: words for the reader. */
  note?: string;
  changes: AttributeChange[];
  /** Where git declares it; for a deletion, the file and range on the base branch when known. */
  declaredAt?: DeclaredAt;
}

export type ActionCounts = Record<PlanAction, number>;

export interface PlanEnvironment {
  source: PlanSourceKind;
  /** A kubeconfig context, a Terraform folder, a playbook (relative to the repository root). */
  name: string;
  /** Set when this environment could not be planned (unreachable, tool missing, untrusted): words with a next step. */
  error?: string;
  resources: PlanResource[];
  counts: ActionCounts;
}

export interface PlanReport {
  /** The repository root as a file URI; renderers show `declaredAt` relative to it. */
  rootUri: string;
  /** The branch compared against, e.g. `main`. */
  base: string;
  /** The merge base commit with `base`; absent when there is none (unrelated histories, no base branch). */
  mergeBase?: string;
  /** The commit planned (e.g. the revert Roll Back… would propose); absent when the work tree was planned. */
  head?: string;
  /** Repository-relative paths of the IaC files changed on this branch (added, modified, removed). */
  changedFiles: string[];
  environments: PlanEnvironment[];
  /** Over all environments. */
  counts: ActionCounts;
  /** When the plan was made, RFC 3339. */
  createdAt: string;
}
