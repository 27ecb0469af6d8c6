// The Kubernetes kinds the manifests may use, keyed by "apiVersion/kind". The strict JSON
// Schema in kubernetes.schema.json is generated from these kubernetes-types declarations
// (npm run deploy:check fails when it is stale; regenerate with
// `node_modules/.bin/tsx tools/deploy/schemas/generate.ts`).
import type { Deployment } from 'kubernetes-types/apps/v1';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2';
import type { ConfigMap, Namespace, Service, ServiceAccount } from 'kubernetes-types/core/v1';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';

export interface Kinds {
  'apps/v1/Deployment': Deployment;
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler;
  'v1/ConfigMap': ConfigMap;
  'v1/Namespace': Namespace;
  'v1/Service': Service;
  'v1/ServiceAccount': ServiceAccount;
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy;
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget;
}
