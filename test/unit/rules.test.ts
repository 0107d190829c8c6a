import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSection } from '../../server/src/yaml/parse';
import { resourcesOf } from '../../server/src/kubernetes/documents';
import type { KubernetesRule, ResourceReport } from '../../server/src/kubernetes/resource';
import type { PathSegment } from '../../server/src/yaml/path';
import { KUBERNETES_RULES, ruleMeta } from '../../server/src/kubernetes/rules/index';
import { imageTag } from '../../server/src/kubernetes/rules/noLatestTag';

/** Removes the indentation every non-blank line shares, so YAML can sit indented in the test. */
function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((line) => line.trim()).map((line) => line.match(/^ */)![0].length));
  return lines.map((line) => line.slice(indent)).join('\n');
}

interface Reported extends ResourceReport {
  basePath: PathSegment[];
}

/** Parses real YAML text and runs one rule on every object in it. */
function run(ruleId: string, text: string): Reported[] {
  const rule = KUBERNETES_RULES.find((candidate) => candidate.id === ruleId);
  assert.ok(rule, `no rule ${ruleId}`);
  const parsed = parseSection(dedent(text));
  assert.deepEqual(parsed.problems, []);
  return parsed.documents
    .flatMap(resourcesOf)
    .flatMap((resource) => rule.check(resource).map((report) => ({ ...report, basePath: resource.basePath })));
}

/** A Pod whose spec is `spec` (YAML, indented by any amount). */
function pod(spec: string): string {
  const body = dedent(spec).split('\n').map((line) => `  ${line}`).join('\n');
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: demo\nspec:\n${body}\n`;
}

function assertMessage(report: Reported | undefined, ...parts: string[]): void {
  assert.ok(report, 'expected a report');
  for (const part of parts) assert.ok(report.message.includes(part), `"${report.message}" lacks "${part}"`);
}

const C0 = ['spec', 'containers', 0];

describe('rule registry', () => {
  it('lists every rule once, at warning or below', () => {
    const ids = KUBERNETES_RULES.map((rule) => rule.id);
    assert.deepEqual(ids, [
      'k8s/no-latest-tag',
      'k8s/missing-resources',
      'k8s/privileged-container',
      'k8s/allow-privilege-escalation',
      'k8s/run-as-non-root',
      'k8s/host-namespaces',
      'k8s/missing-probes',
    ]);
    for (const rule of KUBERNETES_RULES) {
      assert.ok(['warning', 'info', 'hint'].includes(rule.defaultSeverity), rule.id);
      assert.ok(rule.description.length > 10, rule.id);
    }
  });

  it('answers ruleMeta without the check function', () => {
    assert.deepEqual(ruleMeta('k8s/missing-probes'), {
      id: 'k8s/missing-probes',
      defaultSeverity: 'info',
      description: KUBERNETES_RULES[6].description,
    });
    assert.equal(ruleMeta('k8s/no-latest-tag')?.defaultSeverity, 'warning');
    assert.equal(ruleMeta('k8s/unknown'), undefined);
  });
});

describe('k8s/no-latest-tag', () => {
  const id = 'k8s/no-latest-tag';
  const withImage = (image: string) => pod(`containers:\n  - name: web\n    image: "${image}"`);

  it('reports an image without a tag on the image value', () => {
    const [report, ...rest] = run(id, withImage('nginx'));
    assert.deepEqual(rest, []);
    assert.deepEqual(report.path, [...C0, 'image']);
    assert.equal(report.at, undefined);
    assertMessage(report, 'Container "web"', '"nginx"', 'no tag', 'Pin a version tag or a digest');
  });

  it('reports the latest tag', () => {
    const [report] = run(id, withImage('nginx:latest'));
    assertMessage(report, 'Container "web"', '"nginx:latest"', '"latest" tag');
  });

  it('reads a registry port as a port, not a tag', () => {
    assert.equal(run(id, withImage('registry:5000/app')).length, 1);
    assert.equal(run(id, withImage('registry:5000/team/app:latest')).length, 1);
    assert.deepEqual(run(id, withImage('registry:5000/app:1.2')), []);
  });

  it('accepts version tags, digests and templated images', () => {
    for (const image of ['nginx:1.27', 'nginx@sha256:0123abcd', 'nginx:latest@sha256:0123abcd', '{{ .Values.image }}', '${IMAGE}']) {
      assert.deepEqual(run(id, withImage(image)), [], image);
    }
  });

  it('finds the tag of an image reference', () => {
    assert.equal(imageTag('nginx'), '');
    assert.equal(imageTag('ghcr.io/org/app:v2'), 'v2');
    assert.equal(imageTag('localhost:5000/app'), '');
    assert.equal(imageTag('app@sha256:00'), undefined);
  });

  it('reports CronJob containers under jobTemplate', () => {
    const reports = run(id, `
      apiVersion: batch/v1
      kind: CronJob
      metadata: { name: nightly }
      spec:
        schedule: "0 3 * * *"
        jobTemplate:
          spec:
            template:
              spec:
                restartPolicy: OnFailure
                containers:
                  - name: backup
                    image: backup:latest
    `);
    assert.deepEqual(reports.map((report) => report.path), [['spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers', 0, 'image']]);
    assertMessage(reports[0], 'Container "backup"');
  });

  it('keeps paths relative to each item of a List', () => {
    const reports = run(id, `
      apiVersion: v1
      kind: List
      items:
        - apiVersion: v1
          kind: ConfigMap
          metadata: { name: settings }
        - apiVersion: apps/v1
          kind: Deployment
          metadata: { name: api }
          spec:
            template:
              spec:
                containers:
                  - name: api
                    image: api
    `);
    assert.equal(reports.length, 1);
    assert.deepEqual(reports[0].basePath, ['items', 1]);
    assert.deepEqual(reports[0].path, ['spec', 'template', 'spec', 'containers', 0, 'image']);
  });
});

describe('k8s/missing-resources', () => {
  const id = 'k8s/missing-resources';

  it('reports a container without resources on its name, naming all three', () => {
    const [report, ...rest] = run(id, pod(`containers:\n  - name: web\n    image: nginx:1`));
    assert.deepEqual(rest, []);
    assert.deepEqual(report.path, [...C0, 'name']);
    assert.equal(report.at, undefined);
    assertMessage(report, 'Container "web"', 'resources.requests.cpu', 'resources.requests.memory', 'resources.limits.memory');
  });

  it('reports what is missing on the resources key', () => {
    const [report] = run(id, pod(`
      containers:
        - name: web
          resources:
            requests: { cpu: 100m }
    `));
    assert.deepEqual(report.path, [...C0, 'resources']);
    assert.equal(report.at, 'key');
    assertMessage(report, 'resources.requests.memory and resources.limits.memory');
    assert.ok(!report.message.includes('requests.cpu'));
  });

  it('accepts requests for cpu and memory with a memory limit', () => {
    assert.deepEqual(run(id, pod(`
      containers:
        - name: web
          resources:
            requests: { cpu: 100m, memory: 64Mi }
            limits: { memory: 128Mi }
    `)), []);
  });

  it('checks initContainers and skips ephemeralContainers', () => {
    const reports = run(id, pod(`
      initContainers:
        - name: migrate
          resources: {}
      containers:
        - name: web
          resources:
            requests: { cpu: 1, memory: 1Gi }
            limits: { memory: 1Gi }
      ephemeralContainers:
        - name: debug
    `));
    assert.deepEqual(reports.map((report) => report.path), [['spec', 'initContainers', 0, 'resources']]);
    assertMessage(reports[0], 'Container "migrate"');
  });
});

describe('k8s/privileged-container', () => {
  const id = 'k8s/privileged-container';

  it('reports privileged: true on the value', () => {
    const [report, ...rest] = run(id, pod(`containers:\n  - name: web\n    securityContext: { privileged: true }`));
    assert.deepEqual(rest, []);
    assert.deepEqual(report.path, [...C0, 'securityContext', 'privileged']);
    assertMessage(report, 'Container "web"', 'privileged');
  });

  it('accepts privileged: false or no securityContext', () => {
    assert.deepEqual(run(id, pod(`containers:\n  - name: web\n    securityContext: { privileged: false }\n  - name: side`)), []);
  });

  it('checks initContainers', () => {
    const reports = run(id, pod(`
      initContainers:
        - name: setup
          securityContext: { privileged: true }
      containers: [{ name: web }]
    `));
    assert.deepEqual(reports.map((report) => report.path), [['spec', 'initContainers', 0, 'securityContext', 'privileged']]);
  });
});

describe('k8s/allow-privilege-escalation', () => {
  const id = 'k8s/allow-privilege-escalation';

  it('reports an absent setting on the container name', () => {
    const [report, ...rest] = run(id, pod(`containers:\n  - name: web`));
    assert.deepEqual(rest, []);
    assert.deepEqual(report.path, [...C0, 'name']);
    assertMessage(report, 'Container "web"', 'allowPrivilegeEscalation: false');
  });

  it('reports true on the value', () => {
    const [report] = run(id, pod(`containers:\n  - name: web\n    securityContext:\n      allowPrivilegeEscalation: true`));
    assert.deepEqual(report.path, [...C0, 'securityContext', 'allowPrivilegeEscalation']);
    assertMessage(report, 'Container "web"', 'allows privilege escalation');
  });

  it('accepts false and skips ephemeral containers', () => {
    assert.deepEqual(run(id, pod(`
      containers:
        - name: web
          securityContext: { allowPrivilegeEscalation: false }
      ephemeralContainers:
        - name: debug
    `)), []);
  });

  it('names an unnamed container by where it sits', () => {
    const [report] = run(id, pod(`initContainers:\n  - image: busybox:1\ncontainers: []`));
    assert.deepEqual(report.path, ['spec', 'initContainers', 0]);
    assertMessage(report, 'The container at initContainers[0]');
  });
});

describe('k8s/run-as-non-root', () => {
  const id = 'k8s/run-as-non-root';

  it('reports a container with nothing set on its name', () => {
    const [report, ...rest] = run(id, pod(`containers:\n  - name: web`));
    assert.deepEqual(rest, []);
    assert.deepEqual(report.path, [...C0, 'name']);
    assertMessage(report, 'Container "web"', 'may run as root', 'runAsNonRoot: true');
  });

  it('accepts runAsNonRoot: true on the pod or the container', () => {
    assert.deepEqual(run(id, pod(`securityContext: { runAsNonRoot: true }\ncontainers: [{ name: web }]`)), []);
    assert.deepEqual(run(id, pod(`containers:\n  - name: web\n    securityContext: { runAsNonRoot: true }`)), []);
  });

  it('accepts a runAsUser above 0 on the pod or the container', () => {
    assert.deepEqual(run(id, pod(`securityContext: { runAsUser: 1000 }\ncontainers: [{ name: web }]`)), []);
    assert.deepEqual(run(id, pod(`containers:\n  - name: web\n    securityContext: { runAsUser: 65534 }`)), []);
  });

  it('lets the container override the pod', () => {
    const reports = run(id, pod(`
      securityContext: { runAsNonRoot: true }
      containers:
        - name: web
          securityContext: { runAsNonRoot: false }
        - name: side
    `));
    assert.equal(reports.length, 1);
    assert.deepEqual(reports[0].path, [...C0, 'securityContext', 'runAsNonRoot']);
    assertMessage(reports[0], 'Container "web"', 'runAsNonRoot is false');
  });

  it('reports an explicit false on the pod where it is written', () => {
    const [report] = run(id, pod(`securityContext: { runAsNonRoot: false }\ncontainers: [{ name: web }]`));
    assert.deepEqual(report.path, ['spec', 'securityContext', 'runAsNonRoot']);
  });

  it('reports runAsUser 0 even when runAsNonRoot is true', () => {
    const [report] = run(id, pod(`
      securityContext: { runAsNonRoot: true }
      containers:
        - name: web
          securityContext: { runAsUser: 0 }
    `));
    assert.deepEqual(report.path, [...C0, 'securityContext', 'runAsUser']);
    assertMessage(report, 'Container "web"', 'runs as root');
  });

  it('checks initContainers', () => {
    const reports = run(id, pod(`
      initContainers: [{ name: setup }]
      containers:
        - name: web
          securityContext: { runAsNonRoot: true }
    `));
    assert.deepEqual(reports.map((report) => report.path), [['spec', 'initContainers', 0, 'name']]);
  });
});

describe('k8s/host-namespaces', () => {
  const id = 'k8s/host-namespaces';

  it('reports each shared namespace on its value', () => {
    const reports = run(id, `
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: { name: agent }
      spec:
        template:
          spec:
            hostNetwork: true
            hostPID: true
            hostIPC: false
            containers: [{ name: agent }]
    `);
    assert.deepEqual(reports.map((report) => report.path), [
      ['spec', 'template', 'spec', 'hostNetwork'],
      ['spec', 'template', 'spec', 'hostPID'],
    ]);
    assertMessage(reports[0], 'hostNetwork: true', 'Remove it');
    assertMessage(reports[1], 'hostPID: true');
  });

  it('accepts a pod that shares nothing', () => {
    assert.deepEqual(run(id, pod(`hostIPC: false\ncontainers: [{ name: web }]`)), []);
  });
});

describe('k8s/missing-probes', () => {
  const id = 'k8s/missing-probes';
  const probe = '{ httpGet: { path: /healthz, port: 8080 } }';

  it('reports a container without probes on its name, naming both', () => {
    const [report, ...rest] = run(id, pod(`containers:\n  - name: web`));
    assert.deepEqual(rest, []);
    assert.deepEqual(report.path, [...C0, 'name']);
    assertMessage(report, 'Container "web"', 'no livenessProbe or readinessProbe');
  });

  it('names only the missing probe', () => {
    const [report] = run(id, pod(`containers:\n  - name: web\n    readinessProbe: ${probe}`));
    assertMessage(report, 'no livenessProbe.');
    assert.ok(!report.message.includes('readinessProbe'));
  });

  it('accepts both probes and ignores init containers', () => {
    assert.deepEqual(run(id, pod(`
      initContainers: [{ name: setup }]
      containers:
        - name: web
          livenessProbe: ${probe}
          readinessProbe: ${probe}
    `)), []);
  });

  it('does not report Jobs or CronJobs', () => {
    assert.deepEqual(run(id, `
      apiVersion: batch/v1
      kind: Job
      metadata: { name: once }
      spec:
        template:
          spec:
            restartPolicy: Never
            containers: [{ name: task, image: task:1 }]
      ---
      apiVersion: batch/v1
      kind: CronJob
      metadata: { name: nightly }
      spec:
        schedule: "@daily"
        jobTemplate:
          spec:
            template:
              spec:
                containers: [{ name: task }]
    `), []);
  });
});

describe('wrongly typed input', () => {
  const odd = [
    pod(`containers: "oops"`),
    pod(`containers: [5, null, "x", { name: 7, image: 7, securityContext: 5, resources: 5 }]`),
    pod(`securityContext: 5\ncontainers: [{ name: web, securityContext: [] }]`),
    pod(`containers:\n  - name: web\n    resources: { requests: 5, limits: "x" }\n    securityContext: { privileged: "true", allowPrivilegeEscalation: "no", runAsUser: "0" }`),
    pod(`hostNetwork: "yes"\nhostPID: 1\ncontainers: {}`),
    'apiVersion: v1\nkind: Pod\nspec: "nope"\n',
    'apiVersion: 5\nkind: [Deployment]\nspec: { template: 5 }\n',
    'apiVersion: apps/v1\nkind: Deployment\nspec: { template: { spec: [] } }\n',
    'apiVersion: v1\nkind: List\nitems: [5, { kind: Pod, apiVersion: v1, spec: { containers: 1 } }]\n',
  ];

  it('never throws', () => {
    for (const rule of KUBERNETES_RULES) {
      for (const text of odd) assert.doesNotThrow(() => run(rule.id, text), `${rule.id} on ${text}`);
    }
  });

  it('skips values of the wrong type instead of reporting them', () => {
    const countBy = (rule: KubernetesRule, text: string) => run(rule.id, text).length;
    for (const rule of KUBERNETES_RULES) {
      for (const text of [odd[0], odd[4], odd[5], odd[6], odd[7], odd[8]]) assert.equal(countBy(rule, text), 0, `${rule.id} on ${text}`);
    }
    // A securityContext that is not a mapping says nothing the security rules can judge.
    for (const ruleId of ['k8s/allow-privilege-escalation', 'k8s/run-as-non-root', 'k8s/privileged-container']) {
      assert.deepEqual(run(ruleId, odd[2]), [], ruleId);
    }
    assert.deepEqual(run('k8s/missing-resources', odd[3]), []);
    assert.deepEqual(run('k8s/privileged-container', odd[3]), []);
  });
});
