/**
 * The approximate Terraform comparison, when no refresh can run: the configuration against
 * a local state file (`terraform.tfstate`, format version 4). It can only tell which
 * resources exist on one side and not the other; whether live values drifted needs a
 * refresh, so every result is marked approximate. Attribute values are never read, so
 * nothing sensitive can leak from here.
 */
import type { DriftResource } from '../types';
import { blockAddress, type DeclaredResources } from './declarations';
import { notInStateResource, terraformResource, undeclaredResource } from './resource';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `["a"]` or `[0]`, as Terraform writes an instance key in an address. */
function instanceKey(key: unknown): string {
  if (typeof key === 'number') return `[${key}]`;
  if (typeof key === 'string') return `[${JSON.stringify(key)}]`;
  return '';
}

/** The managed resource instance addresses a v4 state records; a string says why the text is not such a state. */
export function stateAddresses(state: unknown): string[] | string {
  if (!isRecord(state)) return 'the state file is not a JSON object';
  if (state.version !== 4) return `the state file has format version ${String(state.version)}; only version 4 (Terraform 0.12 and later) is read`;
  if (!Array.isArray(state.resources)) return 'the state file has no resources list';
  const addresses: string[] = [];
  for (const resource of state.resources) {
    if (!isRecord(resource) || resource.mode !== 'managed' || typeof resource.type !== 'string' || typeof resource.name !== 'string') continue;
    const base = `${typeof resource.module === 'string' && resource.module ? `${resource.module}.` : ''}${resource.type}.${resource.name}`;
    const instances = Array.isArray(resource.instances) ? resource.instances : [];
    for (const instance of instances) addresses.push(base + instanceKey(isRecord(instance) ? instance.index_key : undefined));
  }
  return addresses;
}

/** Declared but not in state → missing; in state but not declared → unmanaged; both → in sync (as far as the state knows). */
export function stateFileDrift(state: unknown, declared: DeclaredResources): DriftResource[] | string {
  const addresses = stateAddresses(state);
  if (typeof addresses === 'string') return addresses;
  const resources: DriftResource[] = [];
  const inState = new Set<string>();
  for (const address of addresses) {
    const block = blockAddress(address);
    inState.add(block);
    const declaration = declared.get(block);
    resources.push(declaration ? terraformResource(address, 'in-sync', declaration.declaredAt) : undeclaredResource(address));
  }
  for (const [address, declaration] of declared) {
    if (!inState.has(address)) resources.push(notInStateResource(address, declaration));
  }
  for (const resource of resources) resource.approximate = true;
  return resources.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
