// Measures Kubernetes drift in the core, without network: 1,000 resources declared in git
// (Deployments, Services, ConfigMaps, Secrets) against a `kubectl get -o json` snapshot of
// live objects as kube-apiserver returns them (defaults, status, managedFields, the
// last-applied annotation), one in ten drifted. Timed separately, median of the runs:
//   1. reading the desired objects from the manifests (collectDesired);
//   2. reading the snapshot (readSnapshot);
//   3. comparing them, diff texts included (compareKubernetes, as for the panel; target: under 1 s);
//   4. comparing them without diff texts (as the CLI does).
// Wall and CPU time are both given: on a shared, loaded machine the CPU time is the steadier figure.
// Run from the repository root:  node scripts/bench-drift.mjs [--json] [--resources N] [--runs N]
import { parseArgs } from 'node:util';
import { loadServerModules, percentile, timeWithCpu } from './bench-server-time.mjs';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, resources: { type: 'string', default: '1000' }, runs: { type: 'string', default: '5' } } });
const RESOURCES = Number(values.resources);
const RUNS = Number(values.runs);
const TARGET_MS = 1000;

const deployment = (i) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  labels: {app: app-${i}, team: team-${i % 7}}
spec:
  replicas: 2
  selector:
    matchLabels: {app: app-${i}}
  template:
    metadata:
      labels: {app: app-${i}}
    spec:
      containers:
        - name: app
          image: registry.example.com/app-${i}:1.${i % 10}.0
          ports: [{containerPort: 8080, name: http}]
          env: [{name: MODE, value: production}, {name: LEVEL, value: "${i % 3}"}]
          resources: {requests: {cpu: 100m, memory: 0.125Gi}, limits: {memory: 256Mi}}
          readinessProbe: {httpGet: {path: /ready, port: http}}
`;
const service = (i) => `apiVersion: v1
kind: Service
metadata:
  name: app-${i}
spec:
  selector: {app: app-${i}}
  ports: [{port: 80, targetPort: "8080"}]
`;
const configMap = (i) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-${i}-config
data: {color: blue, size: "${i}"}
`;
const secret = (i) => `apiVersion: v1
kind: Secret
metadata:
  name: app-${i}-secret
stringData: {password: pw-${i}}
`;

/** What kube-apiserver adds to an object it stores. */
function asServerReturns(object, i) {
  const live = structuredClone(object);
  live.metadata = {
    ...live.metadata, namespace: 'bench', uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, resourceVersion: String(10000 + i), generation: 1,
    creationTimestamp: '2025-05-01T10:00:00Z',
    annotations: { ...live.metadata.annotations, 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(object) },
    managedFields: [{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: live.apiVersion, time: '2025-05-01T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': {} }, 'f:spec': { 'f:replicas': {} } } }],
  };
  if (live.kind === 'Deployment') {
    Object.assign(live.spec, { progressDeadlineSeconds: 600, revisionHistoryLimit: 10, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } });
    const pod = live.spec.template.spec;
    Object.assign(pod, { dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, terminationGracePeriodSeconds: 30 });
    live.spec.template.metadata.creationTimestamp = null;
    for (const container of pod.containers) {
      Object.assign(container, { imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' });
      container.ports = container.ports.map((port) => ({ ...port, protocol: 'TCP' }));
      container.resources.requests.memory = '128Mi';
      Object.assign(container.readinessProbe, { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
      container.readinessProbe.httpGet.scheme = 'HTTP';
      if (i % 10 === 0) container.image = `${container.image}-hotfix`;
      if (i % 10 === 1) container.env.push({ name: 'DEBUG', value: 'true' });
    }
    live.status = { replicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1, conditions: [{ type: 'Available', status: 'True' }] };
  }
  if (live.kind === 'Service') {
    Object.assign(live.spec, { clusterIP: `10.96.0.${i % 250}`, clusterIPs: [`10.96.0.${i % 250}`], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', sessionAffinity: 'None', type: 'ClusterIP', internalTrafficPolicy: 'Cluster' });
    live.spec.ports = live.spec.ports.map((port) => ({ ...port, protocol: 'TCP', targetPort: 8080 }));
    live.status = { loadBalancer: {} };
  }
  if (live.kind === 'Secret') {
    live.data = Object.fromEntries(Object.entries(live.stringData).map(([key, value]) => [key, Buffer.from(i % 20 === 9 ? `${value}-rotated` : value).toString('base64')]));
    delete live.stringData;
    live.type = 'Opaque';
  }
  return live;
}

/** Median wall and CPU time of `RUNS` calls of `run`, and its last result. */
function time(run) {
  const wall = [];
  const cpu = [];
  let result;
  for (let i = 0; i < RUNS; i++) {
    const timing = timeWithCpu(() => { result = run(); });
    wall.push(timing.wallMs);
    cpu.push(timing.cpuMs);
  }
  return { ms: +percentile(wall, 0.5).toFixed(1), cpuMs: +percentile(cpu, 0.5).toFixed(1), result };
}

async function main() {
  const core = await loadServerModules(['server/src/drift/kubernetes/collect', 'server/src/drift/kubernetes/compare', 'server/src/drift/kubernetes/snapshot']);
  const makers = [deployment, deployment, deployment, deployment, service, service, service, configMap, configMap, secret];
  const documents = Array.from({ length: RESOURCES }, (_, i) => makers[i % makers.length](i));
  const text = documents.join('---\n');
  const files = new Map([['file:///bench/manifests.yaml', text]]);
  const renderFolder = () => { throw new Error('no kustomization in this benchmark'); };
  const collected = time(() => core.collectDesired({ files, renderFolder }));
  const desired = collected.result.objects;
  const snapshotText = JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: desired.map((object, i) => asServerReturns(object.value, i)) });
  const snapshot = time(() => core.readSnapshot(snapshotText));
  if (!snapshot.result.ok) throw new Error(snapshot.result.message);
  const compared = time(() => core.compareKubernetes(desired, snapshot.result.objects, { defaultNamespace: 'bench' }));
  const comparedWithoutTexts = time(() => core.compareKubernetes(desired, snapshot.result.objects, { defaultNamespace: 'bench', includeDiffTexts: false }));
  const counts = {};
  for (const resource of compared.result) counts[resource.status] = (counts[resource.status] ?? 0) + 1;
  const figures = {
    resources: desired.length, runs: RUNS, collectMs: collected.ms, collectCpuMs: collected.cpuMs, snapshotMs: snapshot.ms, snapshotCpuMs: snapshot.cpuMs, snapshotBytes: snapshotText.length,
    compareMs: compared.ms, compareCpuMs: compared.cpuMs, compareWithoutTextsMs: comparedWithoutTexts.ms, compareWithoutTextsCpuMs: comparedWithoutTexts.cpuMs,
    statuses: counts, targetMs: TARGET_MS, pass: compared.ms < TARGET_MS,
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return;
  }
  process.stdout.write([
    '## Kubernetes drift (core, no network)',
    '',
    `${figures.resources} resources against a ${(figures.snapshotBytes / 1e6).toFixed(1)} MB snapshot, median of ${RUNS} runs; statuses ${JSON.stringify(counts)}.`,
    '',
    '| step | wall ms | CPU ms |',
    '| --- | --- | --- |',
    `| read desired objects (collectDesired) | ${figures.collectMs} | ${figures.collectCpuMs} |`,
    `| read the snapshot (readSnapshot) | ${figures.snapshotMs} | ${figures.snapshotCpuMs} |`,
    `| compare, diff texts included (compareKubernetes, the panel) | ${figures.compareMs} (target < ${TARGET_MS}: ${figures.pass ? 'PASS' : 'FAIL'}) | ${figures.compareCpuMs} |`,
    `| compare without diff texts (includeDiffTexts: false, the CLI) | ${figures.compareWithoutTextsMs} | ${figures.compareWithoutTextsCpuMs} |`,
    '',
  ].join('\n'));
}

main().catch((error) => {
  process.stderr.write(`bench-drift: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
