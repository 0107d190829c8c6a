/** A Terraform resource in the drift vocabulary: its address is its id and its name. */
import type { DeclaredAt, DriftResource, DriftStatus } from '../types';
import type { TerraformDeclaration } from './declarations';

export function terraformResource(address: string, status: DriftStatus, declaredAt: DeclaredAt | undefined): DriftResource {
  const resource: DriftResource = { source: 'terraform', id: address, apiVersion: '', kind: '', namespace: '', name: address, status, fields: [] };
  if (declaredAt) resource.declaredAt = declaredAt;
  return resource;
}

/** A declared resource with no instance in the state: not created yet, or (with count or for_each) perhaps none wanted. */
export function notInStateResource(address: string, declaration: TerraformDeclaration): DriftResource {
  const resource = terraformResource(address, 'missing', declaration.declaredAt);
  resource.explanation = declaration.repeated
    ? 'declared with count or for_each, but no instance is in the state (there may rightly be none)'
    : 'declared, but not in the state: not created yet (terraform apply would create it)';
  return resource;
}

/** In the state, but no block declares it any more. */
export function undeclaredResource(address: string): DriftResource {
  const resource = terraformResource(address, 'unmanaged', undefined);
  resource.explanation = 'in the state but no longer declared: terraform apply would destroy it';
  return resource;
}
