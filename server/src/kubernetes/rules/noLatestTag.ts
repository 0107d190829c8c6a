/**
 * `k8s/no-latest-tag`: an image without a fixed version (`:latest`, or no tag at all,
 * which means latest) can change under a running workload, so rollouts stop being
 * repeatable and rollbacks may not return to what ran before.
 */
import type { KubernetesRule, ResourceReport } from '../resource';
import { containersOf } from '../workloads';
import { containerLabel } from './containerHelpers';

/** The image's tag, `''` when it has none, `undefined` when a digest pins it. */
export function imageTag(image: string): string | undefined {
  if (image.includes('@')) return undefined;
  // Only the last path part can hold a tag: a colon before a slash is a registry port.
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastPart.indexOf(':');
  return colon < 0 ? '' : lastPart.slice(colon + 1);
}

function isTemplated(image: string): boolean {
  return image.includes('{{') || image.includes('${');
}

export const noLatestTag: KubernetesRule = {
  id: 'k8s/no-latest-tag',
  defaultSeverity: 'warning',
  description: 'Container images should be pinned to a version tag or a digest, not `:latest` or no tag.',
  check(resource) {
    const reports: ResourceReport[] = [];
    for (const at of containersOf(resource)) {
      const image = at.container.image;
      if (typeof image !== 'string' || image.trim() === '' || isTemplated(image)) continue;
      const tag = imageTag(image.trim());
      if (tag !== '' && tag !== 'latest') continue;
      const problem = tag === 'latest' ? 'uses the "latest" tag' : 'has no tag, which means "latest"';
      reports.push({
        path: [...at.path, 'image'],
        message: `${containerLabel(at)}: image "${image}" ${problem}, so it can change without notice. Pin a version tag or a digest (image@sha256:...).`,
      });
    }
    return reports;
  },
};
