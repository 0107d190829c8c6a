/**
 * `helm template`'s output and errors, read and mapped back to templates. The texts below
 * are real: printed by helm v4.1.4 (`helm template shop .`) on the fixture chart
 * test/fixtures/gitops-repo/charts/web, with `terminationGracePeriod: 30` (a misspelled field) added to its
 * deployment template and `--set podAnnotations.retries=3`; the errors come from small
 * breakages of its service template and schema.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Finding } from '../../server/src/core/types';
import { ValidationEngine } from '../../server/src/engine/engine';
import { failureFinding, mapRenderedFindings, parseHelmFailure, sourceToUri, splitHelmOutput } from '../../server/src/helm/renderedOutput';
import { ChartWorkspace } from '../../server/src/helm/workspace';
import { SchemaStore } from '../../server/src/kubernetes/schemaStore';
import { DEFAULT_SETTINGS } from '../../server/src/settings';

const RENDERED = `---
# Source: web/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: shop-web-settings
data:
  color: blue
  greeting: hello
  FEATURE_FLAGS: "checkout,search"
  LOG_LEVEL: "info"
  multiline: |-
---
# Source: web/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: shop-web
  labels:
    app.kubernetes.io/name: web
    app.kubernetes.io/instance: shop
    app.kubernetes.io/managed-by: Helm
spec:
  type: ClusterIP
  ports:
    - port: 8080
      targetPort: http
  selector:
    app.kubernetes.io/name: web
---
# Source: web/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-web
  labels:
    app.kubernetes.io/name: web
    app.kubernetes.io/instance: shop
    app.kubernetes.io/managed-by: Helm
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: web
  template:
    metadata:
      annotations:
        retries: 3
      labels:
        app.kubernetes.io/name: web
    spec:
      terminationGracePeriod: 30
      containers:
        - name: web
          image: "registry.example.com/shop/web:2.7.1"
          imagePullPolicy: IfNotPresent
          ports:
            - name: http
              containerPort: 8080
          env:
            - name: "FEATURE_FLAGS"
              value: "checkout,search"
            - name: "LOG_LEVEL"
              value: "info"
          resources:
            limits:
              memory: 256Mi
            requests:
              cpu: 100m
              memory: 128Mi
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
          livenessProbe:
            httpGet: { path: /healthz, port: http }
          readinessProbe:
            httpGet: { path: /ready, port: http }
---
# Source: web/templates/ingress.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop-web-0
spec:
  rules:
    - host: "shop.example.com"
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: shop-web
                port:
                  number: 8080
          - path: /api
            pathType: Prefix
            backend:
              service:
                name: shop-web
                port:
                  number: 8080
`;

const ERRORS = {
  nilPointer: `Error: web/templates/service.yaml:13:15
  executing "web/templates/service.yaml" at <.Values.missing.deeper>:
    nil pointer evaluating interface {}.deeper

Use --debug flag to render out invalid YAML
`,
  parse: `Error: parse error at (web/templates/service.yaml:13): function "nosuchfn" not defined

Use --debug flag to render out invalid YAML
`,
  yaml: `Error: YAML parse error on web/templates/service.yaml: error converting YAML to JSON: yaml: line 17: did not find expected node content

Use --debug flag to render out invalid YAML
`,
  schema: `Error: values don't meet the specifications of the schema(s) in the following chart(s):
web:
- at '': additional properties 'common' not allowed

`,
};

const CHART = path.join(__dirname, '..', 'fixtures', 'gitops-repo', 'charts', 'web');
const ROOT = 'file:///repo/charts/web';
const deploymentTemplate = readFileSync(path.join(CHART, 'templates', 'deployment.yaml'), 'utf8').replace('    spec:\n', '    spec:\n      terminationGracePeriod: 30\n');
const templates: Record<string, string> = {
  [`${ROOT}/templates/deployment.yaml`]: deploymentTemplate,
  [`${ROOT}/templates/service.yaml`]: readFileSync(path.join(CHART, 'templates', 'service.yaml'), 'utf8'),
};

const store = new SchemaStore({ read: (p) => { try { return readFileSync(`schemas/${p}`, 'utf8'); } catch { return undefined; } } });
const engine = new ValidationEngine(store, DEFAULT_SETTINGS);
const at = (f: Finding): string => `${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1} ${f.rule} ${f.message}`;

describe('helm template output', () => {
  it('splits the output into manifests by their # Source comments', () => {
    const manifests = splitHelmOutput(RENDERED);
    assert.deepEqual(manifests.map((m) => m.source), ['web/templates/configmap.yaml', 'web/templates/service.yaml', 'web/templates/deployment.yaml', 'web/templates/ingress.yaml']);
    assert.ok(manifests[2].text.startsWith('apiVersion: apps/v1\nkind: Deployment\n'));
  });

  it('maps a finding to the template line when the rendered line occurs there once, else to the file', () => {
    const toUri = (source: string): string => sourceToUri(source, ROOT);
    const byFile = mapRenderedFindings(splitHelmOutput(RENDERED), (text) => engine.analyzeDetached(text), toUri, (uri) => templates[uri]);
    const errors = (byFile.get(`${ROOT}/templates/deployment.yaml`) ?? []).filter((f) => f.severity === 'error').map(at);
    assert.deepEqual(errors, [
      // `retries: 3` came out of `toYaml`: no template line says it, so the file is all that is certain.
      '1:1-1:1 k8s/schema Wrong type for "retries": expected a string, found the integer 3. (helm template; rendered line: retries: 3)',
      // The template writes `terminationGracePeriod: 30` literally: the exact place is known.
      '23:7-23:29 k8s/schema Unknown field "terminationGracePeriod" in spec.template.spec. Allowed fields: activeDeadlineSeconds, affinity, automountServiceAccountToken, containers, dnsConfig, dnsPolicy, enableServiceLinks, ephemeralContainers, hostAliases, hostIPC, hostNetwork, hostPID, …. (helm template)',
    ]);
    assert.equal(byFile.has(`${ROOT}/templates/service.yaml`), false);
  });

  it('maps a dependency\'s templates to its file:// folder', () => {
    assert.equal(sourceToUri('web/charts/common/templates/_labels.tpl', ROOT, new Map([['common', 'file:///repo/charts/common']])), 'file:///repo/charts/common/templates/_labels.tpl');
    assert.equal(sourceToUri('web/charts/vendored/templates/x.yaml', ROOT), `${ROOT}/charts/vendored/templates/x.yaml`);
  });

  it('reads where a failed render went wrong', () => {
    assert.deepEqual(parseHelmFailure(ERRORS.nilPointer), {
      source: 'web/templates/service.yaml', line: 12, column: 14,
      message: 'web/templates/service.yaml:13:15 executing "web/templates/service.yaml" at <.Values.missing.deeper>: nil pointer evaluating interface {}.deeper',
    });
    assert.deepEqual(parseHelmFailure(ERRORS.parse), { source: 'web/templates/service.yaml', line: 12, column: undefined, message: 'parse error at (web/templates/service.yaml:13): function "nosuchfn" not defined' });
    // The line in a YAML parse error counts in the rendered text, not the template: only the file is kept.
    assert.deepEqual(parseHelmFailure(ERRORS.yaml), { source: 'web/templates/service.yaml', message: 'YAML parse error on web/templates/service.yaml: error converting YAML to JSON: yaml: line 17: did not find expected node content' });
    assert.deepEqual(parseHelmFailure(ERRORS.schema), { message: "values don't meet the specifications of the schema(s) in the following chart(s): web: - at '': additional properties 'common' not allowed" });
    const placed = failureFinding(parseHelmFailure(ERRORS.schema), (s) => sourceToUri(s, ROOT), ROOT);
    assert.equal(placed.uri, `${ROOT}/Chart.yaml`);
    assert.equal(placed.finding.rule, 'helm/render');
  });

  it('keeps render findings on the templates until the next render, moving those of unknown files to Chart.yaml', () => {
    const charts = new ChartWorkspace({ hasChartFile: (folder) => folder === ROOT, readFile: (uri) => templates[uri] });
    for (const [uri, text] of Object.entries(templates)) charts.setFile(uri, text);
    charts.setFile(`${ROOT}/Chart.yaml`, 'apiVersion: v2\nname: web\nversion: 1.0.0\n');
    const analyze = (text: string): Finding[] => engine.analyzeDetached(text);
    assert.deepEqual(charts.takeRender(ROOT, { output: RENDERED }, analyze).sort(), [`${ROOT}/templates/deployment.yaml`]);
    assert.ok(charts.diagnose(`${ROOT}/templates/deployment.yaml`).some((f) => f.message.includes('"terminationGracePeriod"')));
    const changed = charts.takeRender(ROOT, { stderr: 'Error: web/templates/_helpers.tpl:3:10\n  executing "web.fullname" at <.Foo>:\n    nil pointer\n' }, analyze);
    assert.deepEqual(changed.sort(), [`${ROOT}/Chart.yaml`, `${ROOT}/templates/deployment.yaml`]);
    assert.deepEqual(charts.diagnose(`${ROOT}/templates/deployment.yaml`), []);
    assert.deepEqual(charts.diagnose(`${ROOT}/Chart.yaml`).map(at), ['1:1-1:1 helm/render templates/_helpers.tpl, line 3: helm template failed: web/templates/_helpers.tpl:3:10 executing "web.fullname" at <.Foo>: nil pointer']);
    assert.deepEqual(charts.clearRenders(), [`${ROOT}/Chart.yaml`]);
  });
});
