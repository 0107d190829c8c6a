/**
 * One small object of each kind most repositories hold, analysed at start-up to compile
 * their validators ahead of need (see warmUp in server.ts). The Deployment comes first:
 * its pod template is shared by every workload kind and is most of the compile time.
 */
const podTemplate = `
  template:
    metadata: {labels: {app: warm}}
    spec:
      containers:
        - name: warm
          image: warm:1.0.0
          ports: [{containerPort: 80}]
          resources: {requests: {cpu: 100m, memory: 1Mi}}
          env: [{name: A, valueFrom: {configMapKeyRef: {name: warm, key: a}}}]`;

export const WARM_UP_SAMPLES: readonly string[] = [
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: warm}\nspec:\n  selector: {matchLabels: {app: warm}}${podTemplate}\n`,
  `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: warm}\nspec:\n  serviceName: warm\n  selector: {matchLabels: {app: warm}}${podTemplate}\n  volumeClaimTemplates: [{metadata: {name: d}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}]\n`,
  `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: warm}\nspec:\n  selector: {matchLabels: {app: warm}}${podTemplate}\n`,
  `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: warm}\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: warm, image: warm:1.0.0}]\n`,
  `apiVersion: batch/v1\nkind: Job\nmetadata: {name: warm}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: warm, image: warm:1.0.0}]\n`,
  `apiVersion: v1\nkind: Service\nmetadata: {name: warm}\nspec:\n  selector: {app: warm}\n  ports: [{port: 80, targetPort: 8080}]\n`,
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: warm}\ndata: {a: b}\n`,
  `apiVersion: v1\nkind: Secret\nmetadata: {name: warm}\nstringData: {a: b}\n`,
  `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: warm}\n`,
  `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: warm}\nspec:\n  rules: [{host: a.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: warm, port: {number: 80}}}}]}}]\n`,
  `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: warm}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: warm}\n  minReplicas: 1\n  maxReplicas: 2\n  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]\n`,
  `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: warm}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n`,
];
