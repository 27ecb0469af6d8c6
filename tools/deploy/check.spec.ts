// deploy:check's core on an in-memory repository: a gateway and two subgraphs, their compose
// services, a kustomize base and a prod overlay. The fixture passes; each test breaks one
// thing, as a person editing the manifests would, and expects the check to name it.
import { readsPersonalEventsOf } from '@crm/events';
import { stringify } from 'yaml';
import { checkDeployment, checkDockerfile, type CheckReport } from './core';
import { applyJsonPatch, renderKustomization, strategicMerge } from './kustomize';
import { type DeployInput, type EnvVarSpec, type TopicDecl, type Workload } from './model';
import { validators } from './schemas';

const v = validators();
const PORTS: Record<string, number> = { gateway: 4000, identity: 4001, claims: 4002 };
const SUBGRAPHS = ['identity', 'claims'];

const numeric = (value: string) => (/^\d+$/.test(value) ? undefined : 'must be a number');
const env = (name: string, port: number): EnvVarSpec[] => [
  { name: 'NODE_ENV', required: false, defaultValue: 'development' },
  { name: 'HOST', required: false, defaultValue: '127.0.0.1' },
  { name: 'PORT', required: false, defaultValue: String(port), check: numeric },
  { name: 'LOG_LEVEL', required: false, defaultValue: 'info' },
  ...(name === 'gateway'
    ? [{ name: 'CLAIMS_URL', required: false, defaultValue: 'http://127.0.0.1:4002/graphql' }]
    : [
        { name: 'DATABASE_URL', required: true },
        { name: 'KAFKA_BROKERS', required: false },
        { name: 'EVENT_NAMESPACE', required: false, defaultValue: '' },
      ]),
  { name: 'INTERNAL_TOKEN_SECRET', required: true },
];
const WORKLOADS: Workload[] = [
  ...SUBGRAPHS.map((name) => ({
    name,
    role: 'subgraph' as const,
    workspace: `services/${name}`,
    env: env(name, PORTS[name]!),
  })),
  { name: 'gateway', role: 'gateway', workspace: 'gateway', env: env('gateway', 4000) },
];
const TOPICS: TopicDecl[] = [
  { name: 'crm.claims.events.v1', partitions: 3, retentionMs: 1000 },
  { name: 'crm.claims.events.v1.dlq', partitions: 1, retentionMs: 2000 },
];

const labels = (name: string) => ({ 'app.kubernetes.io/name': name });

function k8sDocs(name: string): object[] {
  const port = PORTS[name]!;
  const data: Record<string, string> = { NODE_ENV: 'production', HOST: '0.0.0.0', PORT: String(port) };
  if (name === 'gateway') data.CLAIMS_URL = 'http://claims:4002/graphql';
  else data.KAFKA_BROKERS = 'kafka:9092';
  const secretEnv = [
    {
      name: 'INTERNAL_TOKEN_SECRET',
      valueFrom: { secretKeyRef: { name: 'internal', key: 'INTERNAL_TOKEN_SECRET' } },
    },
    ...(name === 'gateway'
      ? []
      : [{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: `${name}-db`, key: 'DATABASE_URL' } } }]),
  ];
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-config` }, data },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name },
      spec: {
        selector: { matchLabels: labels(name) },
        template: {
          metadata: { labels: labels(name) },
          spec: {
            securityContext: { runAsNonRoot: true, runAsUser: 1000 },
            containers: [
              {
                name,
                image: `crm-${name}`,
                ports: [{ name: 'http', containerPort: port }],
                envFrom: [{ configMapRef: { name: `${name}-config` } }],
                env: secretEnv,
                livenessProbe: { httpGet: { path: '/health/live', port: 'http' } },
                readinessProbe: { httpGet: { path: '/health/ready', port: 'http' } },
                resources: {
                  requests: { cpu: '100m', memory: '128Mi' },
                  limits: { cpu: '1', memory: '256Mi' },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { selector: labels(name), ports: [{ port, targetPort: 'http' }] },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: 2,
        maxReplicas: 4,
      },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name },
      spec: { maxUnavailable: 1, selector: { matchLabels: labels(name) } },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${name}-ingress` },
      spec: {
        podSelector: { matchLabels: labels(name) },
        policyTypes: ['Ingress'],
        ingress: [
          name === 'gateway'
            ? {}
            : {
                from: [
                  { podSelector: { matchLabels: labels('gateway') } },
                  // the subgraphs that read its sealed events reach its key release
                  ...SUBGRAPHS.filter((r) => r !== name && readsPersonalEventsOf(r, name)).map((r) => ({
                    podSelector: { matchLabels: labels(r) },
                  })),
                ],
              },
        ],
      },
    },
  ];
}

const yamlDocs = (docs: object[]) => docs.map((d) => stringify(d)).join('---\n');

function composeService(name: string): object {
  const port = PORTS[name]!;
  return {
    build: {
      context: '.',
      dockerfile: 'deploy/docker/Dockerfile',
      args: { WORKSPACE: name === 'gateway' ? 'gateway' : `services/${name}` },
    },
    env_file: [`deploy/env/${name}.env`],
    depends_on:
      name === 'gateway'
        ? Object.fromEntries(SUBGRAPHS.map((s) => [s, { condition: 'service_healthy' }]))
        : {
            postgres: { condition: 'service_healthy' },
            'kafka-init': { condition: 'service_completed_successfully' },
          },
    healthcheck: {
      test: ['CMD', 'node', '-e', `fetch('http://127.0.0.1:${port}/health/ready')`],
      interval: '10s',
    },
    user: '1000:1000',
  };
}

function envFile(name: string): string {
  const lines = [
    `NODE_ENV=production`,
    `HOST=0.0.0.0`,
    `PORT=${PORTS[name]}`,
    `INTERNAL_TOKEN_SECRET=dev-only`,
  ];
  if (name === 'gateway') lines.push('CLAIMS_URL=http://claims:4002/graphql');
  else lines.push(`DATABASE_URL=postgres://${name}:pw@postgres:5432/${name}`, 'KAFKA_BROKERS=kafka:9092');
  return `# ${name}\n${lines.join('\n')}\n`;
}

const DOCKERFILE = `ARG NODE_IMAGE=node:24-bookworm-slim
FROM \${NODE_IMAGE} AS build
RUN npm install
FROM \${NODE_IMAGE} AS runtime
RUN npm install --omit=dev
USER 1000:1000
CMD ["node", "main.js"]
`;

function fixture(): Record<string, string> {
  const names = [...SUBGRAPHS, 'gateway'];
  const files: Record<string, string> = {
    'docker-compose.yml': stringify({
      services: {
        postgres: { image: 'postgres:17', env_file: ['deploy/env/postgres.env'] },
        kafka: { image: 'apache/kafka:3.9.1' },
        'kafka-init': {
          image: 'apache/kafka:3.9.1',
          depends_on: { kafka: { condition: 'service_healthy' } },
          environment: { KAFKA_TOPICS: 'crm.claims.events.v1:3:1000 crm.claims.events.v1.dlq:1:2000' },
        },
        ...Object.fromEntries(names.map((n) => [n, composeService(n)])),
      },
    }),
    'deploy/docker/Dockerfile': DOCKERFILE,
    'deploy/env/postgres.env': 'CRM_DATABASES=identity claims\n',
    'k8s/base/kustomization.yaml': stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['workloads.yaml', 'network.yaml', 'topics.yaml'],
    }),
    'k8s/base/workloads.yaml': yamlDocs(names.flatMap(k8sDocs)),
    'k8s/base/network.yaml': yamlDocs([
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny' },
        spec: { podSelector: {}, policyTypes: ['Ingress'] },
      },
    ]),
    'k8s/base/topics.yaml': yamlDocs(
      TOPICS.map((t) => ({
        apiVersion: 'kafka.strimzi.io/v1beta2',
        kind: 'KafkaTopic',
        metadata: { name: t.name, labels: { 'strimzi.io/cluster': 'crm-kafka' } },
        spec: { partitions: t.partitions, replicas: 3, config: { 'retention.ms': String(t.retentionMs) } },
      })),
    ),
    'k8s/overlays/prod/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: crm-prod
resources:
  - ../../base
images:
${names.map((n) => `  - name: crm-${n}\n    newName: registry.example.com/${n}\n    newTag: "1.0.0"`).join('\n')}
patches:
  - target:
      kind: HorizontalPodAutoscaler
    patch: |-
      - op: replace
        path: /spec/minReplicas
        value: 3
  - path: gateway.yaml
`,
    'k8s/overlays/prod/gateway.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: gateway
spec:
  template:
    spec:
      containers:
        - name: gateway
          resources:
            limits:
              memory: 1Gi
`,
  };
  for (const n of names) files[`deploy/env/${n}.env`] = envFile(n);
  return files;
}

function run(
  edit?: (files: Record<string, string>) => void,
  overrides: Partial<DeployInput> = {},
): CheckReport {
  const files = fixture();
  edit?.(files);
  return checkDeployment({ files, workloads: WORKLOADS, topics: TOPICS, ...overrides }, v);
}

/** Replaces exactly one occurrence, so that a test cannot pass because its edit missed. */
function replaceOnce(files: Record<string, string>, path: string, from: string | RegExp, to: string): void {
  const before = files[path];
  if (before === undefined) throw new Error(`no file ${path}`);
  const after = before.replace(from, to);
  if (after === before) throw new Error(`${String(from)} not found in ${path}`);
  files[path] = after;
}

const codes = (r: CheckReport) => r.problems.map((p) => p.code);
const messages = (r: CheckReport) => r.problems.map((p) => `${p.code} ${p.where}: ${p.message}`).join('\n');

describe('deploy:check core', () => {
  it('accepts the consistent fixture, base and overlay alike', () => {
    const report = run();
    expect(messages(report)).toBe('');
    expect(report.counts.k8sRenders.map((r) => r.name)).toEqual(['k8s/base', 'k8s/overlays/prod']);
    expect(report.counts.composeServices).toBe(6);
  });

  it('fails on a typo in a Deployment field, naming the field and its path', () => {
    const report = run((f) => replaceOnce(f, 'k8s/base/workloads.yaml', 'readinessProbe:', 'readinesProbe:'));
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        code: 'DEPLOY.K8S_SCHEMA',
        message: '/spec/template/spec/containers/0: unknown field "readinesProbe"',
      }),
    );
  });

  it('fails on a typo inside an overlay patch, found in the rendered output', () => {
    const report = run((f) => replaceOnce(f, 'k8s/overlays/prod/gateway.yaml', 'resources:', 'resource:'));
    const problem = report.problems.find((p) => p.code === 'DEPLOY.K8S_SCHEMA');
    expect(problem?.message).toBe('/spec/template/spec/containers/0: unknown field "resource"');
    expect(problem?.where).toContain('Deployment/crm-prod/gateway');
  });

  it('fails on a typo in docker-compose.yml', () => {
    const report = run((f) => replaceOnce(f, 'docker-compose.yml', 'healthcheck:', 'helthcheck:'));
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        code: 'DEPLOY.COMPOSE_SCHEMA',
        message: '/services/identity: unknown field "helthcheck"',
      }),
    );
  });

  it('fails on a typo in a KafkaTopic and in a kustomization', () => {
    expect(
      codes(run((f) => replaceOnce(f, 'k8s/base/topics.yaml', 'partitions: 3', 'partitons: 3'))),
    ).toContain('DEPLOY.K8S_SCHEMA');
    const report = run((f) => replaceOnce(f, 'k8s/overlays/prod/kustomization.yaml', 'images:', 'imagez:'));
    expect(report.problems).toContainEqual(
      expect.objectContaining({ code: 'DEPLOY.KUSTOMIZATION_SCHEMA', message: '/: unknown field "imagez"' }),
    );
  });

  it('reports a required variable set neither in compose nor in Kubernetes', () => {
    const withJwt = WORKLOADS.map((w) =>
      w.name === 'gateway' ? { ...w, env: [...w.env, { name: 'JWT_SECRET', required: true }] } : w,
    );
    const report = run(undefined, { workloads: withJwt });
    const missing = report.problems.filter((p) => p.code === 'DEPLOY.ENV_MISSING');
    // base and overlay share the Deployment's file: one finding each for compose and k8s
    expect(missing.map((p) => p.where.split(' ')[0])).toEqual([
      'docker-compose.yml',
      'k8s/base/workloads.yaml',
    ]);
    expect(missing[0]?.message).toContain('gateway requires JWT_SECRET');
  });

  it('reports a misspelt or invalid variable, and a loopback default left in place', () => {
    const typo = run((f) => replaceOnce(f, 'deploy/env/claims.env', 'KAFKA_BROKERS=', 'KAFKA_BROKER='));
    expect(messages(typo)).toContain(
      'claims sets KAFKA_BROKER, which services/claims/src/env.ts does not declare',
    );
    expect(messages(typo)).toContain('KAFKA_BROKERS is optional in env.ts but a deployment must set it');
    const invalid = run((f) => replaceOnce(f, 'deploy/env/claims.env', 'PORT=4002', 'PORT=40O2'));
    expect(messages(invalid)).toContain('claims PORT="40O2": must be a number');
    const loopback = run((f) => replaceOnce(f, 'k8s/base/workloads.yaml', /\n {2}HOST: 0\.0\.0\.0/, ''));
    expect(messages(loopback)).toContain('identity: HOST defaults to 127.0.0.1');
  });

  it('requires credentials to come from Secrets, and no Secret value in the manifests', () => {
    const inline = run((f) =>
      replaceOnce(
        f,
        'k8s/base/workloads.yaml',
        'HOST: 0.0.0.0',
        'HOST: 0.0.0.0\n  INTERNAL_TOKEN_SECRET: oops',
      ),
    );
    expect(codes(inline)).toContain('DEPLOY.K8S_SECRET_INLINE');
    const secret = run((f) => {
      f['k8s/base/secret.yaml'] = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\nstringData:\n  a: b\n';
      replaceOnce(f, 'k8s/base/kustomization.yaml', '- topics.yaml', '- topics.yaml\n  - secret.yaml');
    });
    expect(codes(secret)).toContain('DEPLOY.K8S_SECRET_VALUE');
  });

  it('lets only the gateway reach a subgraph', () => {
    const open = run((f) =>
      replaceOnce(
        f,
        'k8s/base/workloads.yaml',
        /ingress:\n\s+- from:\n\s+- podSelector:\n\s+matchLabels:\n\s+app.kubernetes.io\/name: gateway\n/,
        'ingress:\n    - {}\n',
      ),
    );
    expect(messages(open)).toContain('identity accepts traffic from outside the gateway');
    expect(messages(open)).toContain('claims can reach identity; only the gateway may');
  });

  it('lets a subgraph reading sealed events reach its producer, and only it', () => {
    // identity reads claims' CaseEventRecorded (sealed): the fixture admits it to claims
    expect(readsPersonalEventsOf('identity', 'claims')).toBe(true);
    const shut = run((f) =>
      replaceOnce(
        f,
        'k8s/base/workloads.yaml',
        /\n\s+- podSelector:\n\s+matchLabels:\n\s+app.kubernetes.io\/name: identity\n/,
        '\n',
      ),
    );
    expect(messages(shut)).toContain(
      'identity reads sealed events of claims but cannot reach its key release',
    );
  });

  it('keeps probes, resources and privileges as required', () => {
    const report = run((f) => {
      replaceOnce(f, 'k8s/base/workloads.yaml', 'path: /health/ready', 'path: /ready');
      replaceOnce(
        f,
        'k8s/base/workloads.yaml',
        'allowPrivilegeEscalation: false',
        'allowPrivilegeEscalation: true',
      );
      replaceOnce(f, 'k8s/base/workloads.yaml', 'memory: 256Mi', 'ephemeral-storage: 256Mi');
    });
    expect(codes(report)).toEqual(
      expect.arrayContaining(['DEPLOY.K8S_PROBE', 'DEPLOY.K8S_SECURITY', 'DEPLOY.K8S_RESOURCES']),
    );
  });

  it('compares the topics of compose and Kubernetes with the catalog', () => {
    const report = run(undefined, {
      topics: [...TOPICS, { name: 'crm.new.events.v1', partitions: 6, retentionMs: 1 }],
    });
    const topicProblems = report.problems.filter((p) => p.code === 'DEPLOY.TOPICS');
    expect(topicProblems.map((p) => p.where.split(' ')[0])).toEqual([
      'docker-compose.yml',
      'k8s/base',
      'k8s/overlays/prod',
    ]);
    const partitions = run((f) => replaceOnce(f, 'k8s/base/topics.yaml', 'partitions: 3', 'partitions: 4'));
    expect(messages(partitions)).toContain('crm.claims.events.v1: 4 partitions, the catalog says 3');
  });

  it('expects the topics under the EVENT_NAMESPACE the services use', () => {
    const one = run((f) =>
      replaceOnce(f, 'deploy/env/claims.env', 'KAFKA_BROKERS=', 'EVENT_NAMESPACE=staging.\nKAFKA_BROKERS='),
    );
    expect(messages(one)).toContain('services disagree on EVENT_NAMESPACE (identity="", claims="staging.")');
    const both = run((f) => {
      for (const n of SUBGRAPHS)
        replaceOnce(f, `deploy/env/${n}.env`, 'KAFKA_BROKERS=', 'EVENT_NAMESPACE=staging.\nKAFKA_BROKERS=');
    });
    expect(messages(both)).toContain('topic staging.crm.claims.events.v1 of the catalog is not declared');
    expect(messages(both)).not.toContain('disagree');
  });

  it('checks the Dockerfile rules', () => {
    expect(checkDockerfile('D', DOCKERFILE)).toEqual([]);
    const single = checkDockerfile('D', 'FROM node:22\nRUN npm install\nUSER root\n').map((p) => p.message);
    expect(single).toEqual([
      'must be a multi-stage build',
      'stage FROM node:22 is not Node 24',
      'the final stage must switch to a numeric non-root USER',
      'production dependencies only: install with --omit=dev',
    ]);
  });
});

describe('kustomize subset', () => {
  it('renders namespace, images and both kinds of patch', () => {
    const { resources, problems } = renderKustomization('k8s/overlays/prod', fixture(), v);
    expect(problems).toEqual([]);
    const gateway = resources.find(
      (r) => r.doc.kind === 'Deployment' && (r.doc.metadata as { name: string }).name === 'gateway',
    );
    expect(gateway?.doc).toMatchObject({
      metadata: { namespace: 'crm-prod' },
      spec: {
        template: {
          spec: {
            containers: [
              {
                image: 'registry.example.com/gateway:1.0.0',
                resources: {
                  requests: { cpu: '100m', memory: '128Mi' },
                  limits: { cpu: '1', memory: '1Gi' },
                },
              },
            ],
          },
        },
      },
    });
    const hpas = resources.filter((r) => r.doc.kind === 'HorizontalPodAutoscaler');
    expect(hpas.map((r) => (r.doc.spec as { minReplicas: number }).minReplicas)).toEqual([3, 3, 3]);
  });

  it('merges lists by their Kubernetes merge key and applies JSON 6902 operations', () => {
    const merged = strategicMerge(
      {
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
      },
      {
        env: [
          { name: 'B', value: '3' },
          { name: 'C', value: '4' },
        ],
      },
      '',
    );
    expect(merged).toEqual({
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '3' },
        { name: 'C', value: '4' },
      ],
    });
    const patched = applyJsonPatch({ spec: { list: [1, 2], x: 1 } }, [
      { op: 'add', path: '/spec/list/-', value: 3 },
      { op: 'remove', path: '/spec/x' },
      { op: 'add', path: '/spec/a~1b', value: true },
    ]);
    expect(patched).toEqual({ spec: { list: [1, 2, 3], 'a/b': true } });
    expect(() => applyJsonPatch({}, [{ op: 'replace', path: '/missing', value: 1 }])).toThrow(
      /does not exist/,
    );
  });

  it('reports a missing resource and a patch that matches nothing', () => {
    const files = fixture();
    replaceOnce(files, 'k8s/base/kustomization.yaml', '- topics.yaml', '- topic.yaml');
    replaceOnce(files, 'k8s/overlays/prod/gateway.yaml', 'name: gateway', 'name: gatway');
    const { problems } = renderKustomization('k8s/overlays/prod', files, v);
    expect(problems.map((p) => p.message)).toEqual([
      'resource topic.yaml not found (k8s/base/topic.yaml)',
      'the patch matches no resource ({"kind":"Deployment","name":"gatway"})',
    ]);
  });
});
