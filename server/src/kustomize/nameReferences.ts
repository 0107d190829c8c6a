/**
 * After prefixes, suffixes and hashes renamed objects, the fields that refer to them by
 * name (a pod's ConfigMaps and Secrets, its ServiceAccount, a RoleBinding's subjects, an
 * Ingress's Services, …) are updated to the new names, as kustomize's name-reference
 * transformer does for the common referrers.
 */
import { kindOf, nameOf, namespaceOf, type Resource } from './resources';
import { stringIn, treeAt, type TreeMap, type TreeNode } from './tree';
import { podSpecOf } from './transformers';

/** A referring field: the map holding it, its key, and the kind it names. */
interface Reference {
  holder: TreeMap;
  field: string;
  kind: string;
}

const mapsIn = (node: TreeNode | undefined): TreeMap[] => (node?.kind === 'seq' ? node.items.filter((item): item is TreeMap => item.kind === 'map') : []);
const mapAt = (node: TreeNode | undefined, path: readonly string[]): TreeMap | undefined => {
  const found = treeAt(node, path);
  return found?.kind === 'map' ? found : undefined;
};

function podReferences(spec: TreeMap): Reference[] {
  const references: Reference[] = [];
  const add = (holder: TreeMap | undefined, field: string, kind: string): void => {
    if (holder && stringIn(holder, [field]) !== undefined) references.push({ holder, field, kind });
  };
  add(spec, 'serviceAccountName', 'ServiceAccount');
  for (const secret of mapsIn(spec.entries.get('imagePullSecrets'))) add(secret, 'name', 'Secret');
  for (const volume of mapsIn(spec.entries.get('volumes'))) {
    add(mapAt(volume, ['configMap']), 'name', 'ConfigMap');
    add(mapAt(volume, ['secret']), 'secretName', 'Secret');
    add(mapAt(volume, ['persistentVolumeClaim']), 'claimName', 'PersistentVolumeClaim');
    for (const source of mapsIn(treeAt(volume, ['projected', 'sources']))) {
      add(mapAt(source, ['configMap']), 'name', 'ConfigMap');
      add(mapAt(source, ['secret']), 'name', 'Secret');
    }
  }
  for (const list of ['initContainers', 'containers']) {
    for (const container of mapsIn(spec.entries.get(list))) {
      for (const env of mapsIn(container.entries.get('env'))) {
        add(mapAt(env, ['valueFrom', 'configMapKeyRef']), 'name', 'ConfigMap');
        add(mapAt(env, ['valueFrom', 'secretKeyRef']), 'name', 'Secret');
      }
      for (const from of mapsIn(container.entries.get('envFrom'))) {
        add(mapAt(from, ['configMapRef']), 'name', 'ConfigMap');
        add(mapAt(from, ['secretRef']), 'name', 'Secret');
      }
    }
  }
  return references;
}

function referencesOf(resource: Resource): Reference[] {
  const spec = podSpecOf(resource);
  const references = spec ? podReferences(spec) : [];
  const kind = kindOf(resource);
  if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
    const roleRef = mapAt(resource.tree, ['roleRef']);
    const roleKind = roleRef ? stringIn(roleRef, ['kind']) : undefined;
    if (roleRef && roleKind) references.push({ holder: roleRef, field: 'name', kind: roleKind });
    for (const subject of mapsIn(resource.tree.entries.get('subjects'))) {
      if (stringIn(subject, ['kind']) === 'ServiceAccount') references.push({ holder: subject, field: 'name', kind: 'ServiceAccount' });
    }
  }
  if (kind === 'StatefulSet' && stringIn(resource.tree, ['spec', 'serviceName']) !== undefined) {
    references.push({ holder: mapAt(resource.tree, ['spec'])!, field: 'serviceName', kind: 'Service' });
  }
  if (kind === 'Ingress') {
    const backends = [mapAt(resource.tree, ['spec', 'defaultBackend', 'service'])];
    for (const rule of mapsIn(treeAt(resource.tree, ['spec', 'rules']))) {
      for (const path of mapsIn(treeAt(rule, ['http', 'paths']))) backends.push(mapAt(path, ['backend', 'service']));
    }
    for (const backend of backends) if (backend && stringIn(backend, ['name']) !== undefined) references.push({ holder: backend, field: 'name', kind: 'Service' });
    for (const tls of mapsIn(treeAt(resource.tree, ['spec', 'tls']))) {
      if (stringIn(tls, ['secretName']) !== undefined) references.push({ holder: tls, field: 'secretName', kind: 'Secret' });
    }
  }
  if (kind === 'HorizontalPodAutoscaler') {
    const target = mapAt(resource.tree, ['spec', 'scaleTargetRef']);
    const targetKind = target ? stringIn(target, ['kind']) : undefined;
    if (target && targetKind) references.push({ holder: target, field: 'name', kind: targetKind });
  }
  return references;
}

/** Points every reference to a renamed object at its new name. */
export function fixNameReferences(resources: readonly Resource[]): void {
  const renamed = resources.filter((resource) => nameOf(resource) !== resource.originalName);
  if (renamed.length === 0) return;
  for (const resource of resources) {
    for (const { holder, field, kind } of referencesOf(resource)) {
      const wanted = stringIn(holder, [field]);
      const candidates = renamed.filter((target) => kindOf(target) === kind && target.originalName === wanted);
      const target = candidates.find((candidate) => namespaceOf(candidate) === namespaceOf(resource)) ?? candidates[0];
      const current = holder.entries.get(field)!;
      if (target) holder.entries.set(field, { ...current, value: nameOf(target) } as TreeNode);
    }
  }
}
