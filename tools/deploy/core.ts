// The checks of `npm run deploy:check`, as a pure function over the files' contents, the
// variables each workload's env.ts declares and the topic catalog. check.cli.ts gathers
// those from the repository; check.spec.ts feeds in-memory documents.
import { posix } from 'node:path';
import { readsPersonalEventsOf } from '@crm/events';
import {
  containersOf,
  isObject,
  type Json,
  type JsonObject,
  kustomizationFileOf,
  show,
  parseYamlDocuments,
  podSpecOf,
  renderKustomization,
  type Resource,
  resourceId,
} from './kustomize';
import { type DeployInput, type Problem, type TopicDecl, type Validators, type Workload } from './model';

export const COMPOSE_FILE = 'docker-compose.yml';
export const K8S_BASE = 'k8s/base';
export const K8S_OVERLAYS = 'k8s/overlays';

/**
 * Variables a deployment must set even though the schema lets them be absent: without
 * KAFKA_BROKERS a service falls back to the in-process transport, which is only right for the
 * single-process mode; NODE_ENV decides production behaviour (introspection, logs); without
 * SERVICE_URLS a service cannot open the other services' sealed events, and without
 * PRIVACY_EVENT_KEYS_SECRET a production process does not start (docs/privacy.md, Events).
 */
export const SET_EVEN_IF_OPTIONAL = [
  'KAFKA_BROKERS',
  'NODE_ENV',
  'SERVICE_URLS',
  'PRIVACY_EVENT_KEYS_SECRET',
];

/** A default that points at this machine is a development default: a container must override it. */
export const LOOPBACK = /(^|[/@:])(127\.0\.0\.1|localhost|\[?::1\]?)([:/]|$)/;

/** Variables that carry credentials: in Kubernetes they come from a Secret, never a ConfigMap. */
export const SECRET_LIKE = /(SECRET|PASSWORD|TOKEN|PRIVATE_KEY|CREDENTIALS)|(^|_)DATABASE_URL$/;

/** Variables of the Node runtime itself, which no env.ts declares. */
export const RUNTIME_VARIABLES = ['NODE_OPTIONS', 'TZ', 'UV_THREADPOOL_SIZE'];

export interface CheckReport {
  problems: Problem[];
  /** what was checked, for the summary line */
  counts: { composeServices: number; k8sRenders: { name: string; resources: number }[]; topics: number };
  /** variables left to their schema default, per place */
  defaulted: string[];
}

export function checkDeployment(input: DeployInput, v: Validators): CheckReport {
  const problems: Problem[] = [];
  const defaulted: string[] = [];
  const compose = checkCompose(input, v, problems, defaulted);
  const renders = k8sRenderRoots(input.files).map((dir) => {
    const resources = checkKubernetes(dir, input, v, problems, defaulted);
    return { name: dir, resources };
  });
  if (!renders.length)
    problems.push({
      code: 'DEPLOY.K8S_MISSING',
      where: K8S_BASE,
      message: 'no kustomization found under k8s/',
    });
  const unique = new Map(problems.map((p) => [`${p.code}|${p.where}|${p.message}`, p]));
  return {
    problems: [...unique.values()],
    counts: { composeServices: compose, k8sRenders: renders, topics: input.topics?.length ?? 0 },
    defaulted,
  };
}

/** k8s/base and every k8s/overlays/<name> that has a kustomization. */
export function k8sRenderRoots(files: Readonly<Record<string, string>>): string[] {
  const overlays = new Set<string>();
  for (const path of Object.keys(files)) {
    const m = /^k8s\/overlays\/([^/]+)\//.exec(path);
    if (m) overlays.add(`${K8S_OVERLAYS}/${m[1]}`);
  }
  return [K8S_BASE, ...[...overlays].sort()].filter((dir) => kustomizationFileOf(dir, files));
}

// ---------------------------------------------------------------------------------- env

/** KEY=VALUE lines of a Compose env file (comments and blank lines ignored, quotes removed). */
export function parseEnvFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = (eq < 0 ? line : line.slice(0, eq)).replace(/^export\s+/, '').trim();
    let value = eq < 0 ? '' : line.slice(eq + 1).trim();
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    out.set(key, value);
  }
  return out;
}

/**
 * Compares the variables a place sets with what the workload's schema declares: every
 * required variable (and every SET_EVEN_IF_OPTIONAL one the schema declares) must be set;
 * a variable the schema does not know is most likely a misspelling.
 */
function checkEnvCoverage(
  workload: Workload,
  set: ReadonlyMap<string, string | undefined>,
  where: string,
  problems: Problem[],
  defaulted: string[],
): void {
  const declared = new Map(workload.env.map((e) => [e.name, e]));
  for (const spec of workload.env) {
    if (set.has(spec.name)) continue;
    if (spec.required)
      problems.push({
        code: 'DEPLOY.ENV_MISSING',
        where,
        message: `${workload.name} requires ${spec.name} (declared in ${workload.workspace}/src/env.ts) but it is not set`,
      });
    else if (SET_EVEN_IF_OPTIONAL.includes(spec.name))
      problems.push({
        code: 'DEPLOY.ENV_MISSING',
        where,
        message: `${workload.name}: ${spec.name} is optional in env.ts but a deployment must set it`,
      });
    else if (spec.defaultValue !== undefined && LOOPBACK.test(spec.defaultValue))
      problems.push({
        code: 'DEPLOY.ENV_MISSING',
        where,
        message: `${workload.name}: ${spec.name} defaults to ${spec.defaultValue}, which is unreachable between containers; set it`,
      });
    else defaulted.push(`${where}: ${workload.name} ${spec.name}=${spec.defaultValue ?? '(unset)'}`);
  }
  for (const [name, value] of set) {
    const spec = declared.get(name);
    if (spec && value !== undefined) {
      const error = spec.check?.(value);
      if (error)
        problems.push({
          code: 'DEPLOY.ENV_INVALID',
          where,
          message: `${workload.name} ${name}=${JSON.stringify(SECRET_LIKE.test(name) ? '…' : value)}: ${error}`,
        });
      else if (LOOPBACK.test(value) && name !== 'HOST')
        problems.push({
          code: 'DEPLOY.ENV_INVALID',
          where,
          message: `${workload.name} ${name}=${value} points at the container itself`,
        });
      else if (name === 'HOST' && LOOPBACK.test(value))
        problems.push({
          code: 'DEPLOY.ENV_INVALID',
          where,
          message: `${workload.name} HOST=${value}: listen on 0.0.0.0 in a container`,
        });
    }
    if (declared.has(name) || RUNTIME_VARIABLES.includes(name)) continue;
    problems.push({
      code: 'DEPLOY.ENV_UNKNOWN',
      where,
      message: `${workload.name} sets ${name}, which ${workload.workspace}/src/env.ts does not declare`,
    });
  }
}

/** The EVENT_NAMESPACE in effect for a workload that declares it. */
const namespaceOf = (
  workload: Workload,
  set: ReadonlyMap<string, string | undefined>,
): string | undefined => {
  const spec = workload.env.find((e) => e.name === 'EVENT_NAMESPACE');
  return spec ? (set.get('EVENT_NAMESPACE') ?? spec.defaultValue ?? '') : undefined;
};

const effectivePort = (
  workload: Workload,
  set: ReadonlyMap<string, string | undefined>,
): number | undefined => {
  const value = set.get('PORT') ?? workload.env.find((e) => e.name === 'PORT')?.defaultValue;
  return value === undefined ? undefined : Number(value);
};

// ------------------------------------------------------------------------------ compose

function checkCompose(input: DeployInput, v: Validators, problems: Problem[], defaulted: string[]): number {
  const text = input.files[COMPOSE_FILE];
  if (text === undefined) {
    problems.push({ code: 'DEPLOY.COMPOSE_MISSING', where: COMPOSE_FILE, message: 'file not found' });
    return 0;
  }
  const parsed = parseYamlDocuments(text, COMPOSE_FILE);
  problems.push(...parsed.problems);
  const doc = parsed.docs[0];
  if (!doc) return 0;
  const schemaProblems = v.compose(doc, COMPOSE_FILE);
  problems.push(...schemaProblems);
  if (schemaProblems.length) return 0;
  const services = (doc.services ?? {}) as Record<string, JsonObject>;
  const at = (name: string, field?: string) => `${COMPOSE_FILE} services.${name}${field ? `.${field}` : ''}`;

  const envOf = (name: string): Map<string, string | undefined> => {
    const svc = services[name] ?? {};
    const env = new Map<string, string | undefined>();
    const files = typeof svc.env_file === 'string' ? [svc.env_file] : ((svc.env_file ?? []) as string[]);
    for (const f of files) {
      const content = input.files[posix.normalize(f)];
      if (content === undefined) {
        problems.push({
          code: 'DEPLOY.COMPOSE_ENV_FILE',
          where: at(name, 'env_file'),
          message: `${f} not found`,
        });
        continue;
      }
      for (const [k, val] of parseEnvFile(content)) env.set(k, val);
    }
    const environment = svc.environment;
    if (Array.isArray(environment)) {
      for (const entry of environment) {
        const [k, ...rest] = show(entry).split('=');
        if (k) env.set(k, rest.length ? rest.join('=') : undefined);
      }
    } else if (isObject(environment)) {
      for (const [k, val] of Object.entries(environment)) env.set(k, val === null ? undefined : show(val));
    }
    return env;
  };

  const dockerfilesSeen = new Set<string>();
  const postgresDatabases = new Set(
    (envOf('postgres').get('CRM_DATABASES') ?? '').split(/\s+/).filter(Boolean),
  );

  const eventNamespaces = new Map<string, string>();
  for (const w of input.workloads) {
    const svc = services[w.name];
    if (!svc) {
      problems.push({
        code: 'DEPLOY.COMPOSE_SERVICE_MISSING',
        where: at(w.name),
        message: `no service for ${w.workspace}`,
      });
      continue;
    }
    const build = isObject(svc.build) ? svc.build : undefined;
    const args = build && isObject(build.args) ? build.args : {};
    if (!build || args.WORKSPACE !== w.workspace)
      problems.push({
        code: 'DEPLOY.COMPOSE_BUILD',
        where: at(w.name, 'build'),
        message: `must build the image with build.args.WORKSPACE: ${w.workspace}`,
      });
    const dockerfile = build && typeof build.dockerfile === 'string' ? build.dockerfile : 'Dockerfile';
    const dockerfilePath = posix.normalize(posix.join(show(build?.context ?? '.'), dockerfile));
    const dockerfileText = input.files[dockerfilePath];
    if (build && dockerfileText === undefined)
      problems.push({
        code: 'DEPLOY.COMPOSE_BUILD',
        where: at(w.name, 'build'),
        message: `${dockerfile} not found`,
      });
    else if (build && dockerfileText !== undefined && !dockerfilesSeen.has(dockerfilePath)) {
      dockerfilesSeen.add(dockerfilePath);
      problems.push(...checkDockerfile(dockerfilePath, dockerfileText));
    }
    if (!isObject(svc.healthcheck))
      problems.push({ code: 'DEPLOY.COMPOSE_HEALTHCHECK', where: at(w.name), message: 'no healthcheck' });
    if (!isObject(svc.depends_on) || !Object.values(svc.depends_on).every((d) => isObject(d) && d.condition))
      problems.push({
        code: 'DEPLOY.COMPOSE_ORDER',
        where: at(w.name, 'depends_on'),
        message:
          'must wait for its dependencies with a condition (service_healthy, service_completed_successfully)',
      });
    if (typeof svc.user !== 'string' || /^(0|root)(:|$)/.test(svc.user))
      problems.push({
        code: 'DEPLOY.COMPOSE_ROOT',
        where: at(w.name, 'user'),
        message: 'must run as a non-root user',
      });
    for (const dep of Object.keys(isObject(svc.depends_on) ? svc.depends_on : {}))
      if (!services[dep])
        problems.push({
          code: 'DEPLOY.COMPOSE_ORDER',
          where: at(w.name, 'depends_on'),
          message: `unknown service ${dep}`,
        });

    const env = envOf(w.name);
    checkEnvCoverage(w, env, at(w.name, 'environment'), problems, defaulted);
    const eventNamespace = namespaceOf(w, env);
    if (eventNamespace !== undefined) eventNamespaces.set(w.name, eventNamespace);
    const port = effectivePort(w, env);
    const test = isObject(svc.healthcheck) ? JSON.stringify(svc.healthcheck.test) : '';
    if (port !== undefined && test && !test.includes(`:${port}/health/`))
      problems.push({
        code: 'DEPLOY.COMPOSE_HEALTHCHECK',
        where: at(w.name, 'healthcheck'),
        message: `must probe /health/ready on the service's port ${port}`,
      });
    const dbUrl = env.get('DATABASE_URL');
    if (dbUrl) {
      try {
        const url = new URL(dbUrl);
        const db = url.pathname.replace(/^\//, '');
        if (!services[url.hostname])
          problems.push({
            code: 'DEPLOY.COMPOSE_DATABASE',
            where: at(w.name),
            message: `DATABASE_URL host ${url.hostname} is no compose service`,
          });
        if (db !== w.name || !postgresDatabases.has(db))
          problems.push({
            code: 'DEPLOY.COMPOSE_DATABASE',
            where: at(w.name),
            message: `DATABASE_URL must name the service's own database "${w.name}", created by postgres (CRM_DATABASES); got "${db}"`,
          });
      } catch {
        problems.push({
          code: 'DEPLOY.COMPOSE_DATABASE',
          where: at(w.name),
          message: 'DATABASE_URL is not a URL',
        });
      }
    }
    for (const broker of (env.get('KAFKA_BROKERS') ?? '').split(',').filter(Boolean)) {
      const host = broker.trim().split(':')[0] ?? '';
      if (!services[host])
        problems.push({
          code: 'DEPLOY.COMPOSE_KAFKA',
          where: at(w.name),
          message: `KAFKA_BROKERS host ${host} is no compose service`,
        });
    }
  }

  // topics created by the one-shot kafka-init service, as name:partitions:retention.ms
  if (input.topics) {
    const spec = envOf('kafka-init').get('KAFKA_TOPICS');
    if (spec === undefined) {
      problems.push({ code: 'DEPLOY.TOPICS', where: at('kafka-init'), message: 'KAFKA_TOPICS is not set' });
    } else {
      const declared = spec
        .split(/\s+/)
        .filter(Boolean)
        .map((entry) => {
          const [name = '', partitions, retention] = entry.split(':');
          return { name, partitions: Number(partitions), retentionMs: Number(retention) };
        });
      const where = at('kafka-init', 'environment.KAFKA_TOPICS');
      problems.push(
        ...compareTopics(namespacedCatalog(input.topics, eventNamespaces, where, problems), declared, where),
      );
    }
  }
  return Object.keys(services).length;
}

/**
 * EVENT_NAMESPACE prefixes every topic a service uses (packages/subgraph), so the topics to
 * declare are the catalog's under that prefix; services that disagree on it cannot talk.
 */
function namespacedCatalog(
  catalog: readonly TopicDecl[],
  namespaces: ReadonlyMap<string, string>,
  where: string,
  problems: Problem[],
): readonly TopicDecl[] {
  const distinct = new Set(namespaces.values());
  if (distinct.size > 1)
    problems.push({
      code: 'DEPLOY.TOPICS',
      where,
      message: `services disagree on EVENT_NAMESPACE (${[...namespaces].map(([w, n]) => `${w}="${n}"`).join(', ')})`,
    });
  const prefix = [...distinct][0] ?? '';
  return catalog.map((t) => ({ ...t, name: `${prefix}${t.name}` }));
}

export function compareTopics(
  catalog: readonly TopicDecl[],
  declared: readonly TopicDecl[],
  where: string,
): Problem[] {
  const problems: Problem[] = [];
  const byName = new Map(declared.map((t) => [t.name, t]));
  for (const t of catalog) {
    const d = byName.get(t.name);
    if (!d) {
      problems.push({
        code: 'DEPLOY.TOPICS',
        where,
        message: `topic ${t.name} of the catalog is not declared`,
      });
      continue;
    }
    if (d.partitions !== t.partitions)
      problems.push({
        code: 'DEPLOY.TOPICS',
        where,
        message: `${t.name}: ${d.partitions} partitions, the catalog says ${t.partitions}`,
      });
    if (d.retentionMs !== t.retentionMs)
      problems.push({
        code: 'DEPLOY.TOPICS',
        where,
        message: `${t.name}: retention.ms ${d.retentionMs}, the catalog says ${t.retentionMs}`,
      });
  }
  const known = new Set(catalog.map((t) => t.name));
  for (const d of declared)
    if (!known.has(d.name))
      problems.push({
        code: 'DEPLOY.TOPICS',
        where,
        message: `topic ${d.name} is not in the catalog (packages/events)`,
      });
  return problems;
}

// --------------------------------------------------------------------------- kubernetes

const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const obj = (v: Json | undefined): JsonObject => (isObject(v) ? v : {});
const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
const labelsMatch = (selector: JsonObject, labels: JsonObject): boolean =>
  Object.entries(selector).every(([k, val]) => labels[k] === val);

function checkKubernetes(
  dir: string,
  input: DeployInput,
  v: Validators,
  problems: Problem[],
  defaulted: string[],
): number {
  const rendered = renderKustomization(dir, input.files, v);
  const label = `${dir} (rendered)`;
  problems.push(...rendered.problems);
  const resources = rendered.resources;
  const ids = new Map<string, string>();
  for (const r of resources) {
    const where = `${r.source} ${resourceId(r.doc)}`;
    problems.push(...v.kubernetes(r.doc, where));
    const id = resourceId(r.doc);
    const previous = ids.get(id);
    if (previous)
      problems.push({ code: 'DEPLOY.K8S_DUPLICATE', where, message: `also declared in ${previous}` });
    ids.set(id, r.source);
    if (r.doc.kind === 'Secret' && (r.doc.data !== undefined || r.doc.stringData !== undefined))
      problems.push({
        code: 'DEPLOY.K8S_SECRET_VALUE',
        where,
        message: 'secret values are never committed: create the Secret in the cluster (docs/deployment.md)',
      });
  }
  const of = (kind: string) => resources.filter((r) => r.doc.kind === kind);
  const isOverlay = dir.startsWith(K8S_OVERLAYS);
  const eventNamespaces = new Map<string, string>();

  for (const w of input.workloads) {
    const where = `${label} ${w.name}`;
    const deployment = of('Deployment').find((r) => obj(r.doc.metadata).name === w.name);
    if (!deployment) {
      problems.push({ code: 'DEPLOY.K8S_WORKLOAD', where, message: `no Deployment named ${w.name}` });
      continue;
    }
    const pod = podSpecOf(deployment.doc) ?? {};
    const podLabels = obj(obj(obj(obj(deployment.doc.spec).template).metadata).labels);
    const container =
      containersOf(deployment.doc).find((c) => c.name === w.name) ?? containersOf(deployment.doc)[0];
    if (!container) continue;
    const cwhere = `${deployment.source} Deployment/${w.name} container ${show(container.name)}`;

    // variables: explicit env entries, and the keys of the ConfigMaps it loads whole
    const env = new Map<string, string | undefined>();
    for (const from of arr(container.envFrom).filter(isObject)) {
      if (isObject(from.secretRef)) {
        problems.push({
          code: 'DEPLOY.K8S_ENV_FROM_SECRET',
          where: cwhere,
          message: `envFrom secretRef ${show(from.secretRef.name)}: name each secret variable with env[].valueFrom.secretKeyRef so that it can be checked`,
        });
        continue;
      }
      const name = str(obj(from.configMapRef).name);
      const cm = of('ConfigMap').find((r) => obj(r.doc.metadata).name === name);
      if (!cm) {
        problems.push({
          code: 'DEPLOY.K8S_CONFIGMAP',
          where: cwhere,
          message: `ConfigMap ${String(name)} is not in the manifests`,
        });
        continue;
      }
      for (const [k, val] of Object.entries(obj(cm.doc.data)))
        env.set(`${str(from.prefix) ?? ''}${k}`, str(val));
    }
    for (const e of arr(container.env).filter(isObject)) {
      const name = str(e.name);
      if (!name) continue;
      env.set(name, str(e.value));
      const cmRef = obj(obj(e.valueFrom).configMapKeyRef);
      if (cmRef.name !== undefined) {
        const cm = of('ConfigMap').find((r) => obj(r.doc.metadata).name === cmRef.name);
        if (!cm || obj(cm.doc.data)[show(cmRef.key)] === undefined)
          problems.push({
            code: 'DEPLOY.K8S_CONFIGMAP',
            where: cwhere,
            message: `${name}: ConfigMap key ${show(cmRef.name)}.${show(cmRef.key)} does not exist`,
          });
        else env.set(name, str(obj(cm.doc.data)[show(cmRef.key)]));
      }
    }
    checkEnvCoverage(w, env, cwhere, problems, defaulted);
    const eventNamespace = namespaceOf(w, env);
    if (eventNamespace !== undefined) eventNamespaces.set(w.name, eventNamespace);
    const inlineSources = new Map<string, string>();
    for (const from of arr(container.envFrom).filter(isObject)) {
      const cm = of('ConfigMap').find((r) => obj(r.doc.metadata).name === obj(from.configMapRef).name);
      for (const k of Object.keys(obj(cm?.doc.data)))
        inlineSources.set(`${str(from.prefix) ?? ''}${k}`, `ConfigMap ${show(obj(cm?.doc.metadata).name)}`);
    }
    for (const e of arr(container.env).filter(isObject))
      if (e.value !== undefined && str(e.name)) inlineSources.set(str(e.name) ?? '', 'a literal env value');
    for (const [name, source] of inlineSources)
      if (SECRET_LIKE.test(name))
        problems.push({
          code: 'DEPLOY.K8S_SECRET_INLINE',
          where: cwhere,
          message: `${name} is a credential but comes from ${source}: take it from a Secret (env[].valueFrom.secretKeyRef)`,
        });

    // health, resources, privileges
    const port = effectivePort(w, env);
    const ports = arr(container.ports).filter(isObject);
    const httpPort = ports.find((p) => p.containerPort === port);
    if (!httpPort)
      problems.push({
        code: 'DEPLOY.K8S_PORT',
        where: cwhere,
        message: `no containerPort ${String(port)} (the PORT the process listens on)`,
      });
    const probeOk = (probe: Json | undefined, path: string): boolean => {
      const get = obj(obj(probe).httpGet);
      const p = get.port;
      return get.path === path && (p === port || (typeof p === 'string' && p === httpPort?.name));
    };
    if (!probeOk(container.livenessProbe, '/health/live'))
      problems.push({
        code: 'DEPLOY.K8S_PROBE',
        where: cwhere,
        message: 'livenessProbe must GET /health/live on the service port',
      });
    if (!probeOk(container.readinessProbe, '/health/ready'))
      problems.push({
        code: 'DEPLOY.K8S_PROBE',
        where: cwhere,
        message: 'readinessProbe must GET /health/ready on the service port',
      });
    const resourcesSpec = obj(container.resources);
    for (const kind of ['requests', 'limits'])
      for (const res of ['cpu', 'memory'])
        if (obj(resourcesSpec[kind])[res] === undefined)
          problems.push({
            code: 'DEPLOY.K8S_RESOURCES',
            where: cwhere,
            message: `resources.${kind}.${res} is not set`,
          });
    const podSec = obj(pod.securityContext);
    const sec = obj(container.securityContext);
    const runAsNonRoot = sec.runAsNonRoot ?? podSec.runAsNonRoot;
    const runAsUser = sec.runAsUser ?? podSec.runAsUser;
    if (runAsNonRoot !== true || runAsUser === 0)
      problems.push({
        code: 'DEPLOY.K8S_SECURITY',
        where: cwhere,
        message: 'must run with runAsNonRoot: true and a non-zero runAsUser',
      });
    if (sec.allowPrivilegeEscalation !== false)
      problems.push({
        code: 'DEPLOY.K8S_SECURITY',
        where: cwhere,
        message: 'securityContext.allowPrivilegeEscalation must be false',
      });
    if (sec.readOnlyRootFilesystem !== true)
      problems.push({
        code: 'DEPLOY.K8S_SECURITY',
        where: cwhere,
        message: 'securityContext.readOnlyRootFilesystem must be true',
      });
    if (!arr(obj(sec.capabilities).drop).includes('ALL'))
      problems.push({
        code: 'DEPLOY.K8S_SECURITY',
        where: cwhere,
        message: 'securityContext.capabilities.drop must include ALL',
      });
    if (
      isOverlay &&
      typeof container.image === 'string' &&
      !/[:@]/.test(container.image.split('/').pop() ?? '')
    )
      problems.push({
        code: 'DEPLOY.K8S_IMAGE',
        where: cwhere,
        message: `image ${container.image} has no tag or digest (set it in the overlay's images)`,
      });

    // companions: Service, HorizontalPodAutoscaler, PodDisruptionBudget
    const service = of('Service').find(
      (r) =>
        labelsMatch(obj(obj(r.doc.spec).selector), podLabels) &&
        Object.keys(obj(obj(r.doc.spec).selector)).length,
    );
    if (
      !service ||
      !arr(obj(service.doc.spec).ports).some(
        (p) => isObject(p) && (p.targetPort === httpPort?.name || p.targetPort === port),
      )
    )
      problems.push({
        code: 'DEPLOY.K8S_SERVICE',
        where,
        message: `no Service selecting ${w.name}'s pods on port ${String(port)}`,
      });
    if (
      !of('HorizontalPodAutoscaler').some(
        (r) =>
          obj(obj(r.doc.spec).scaleTargetRef).name === w.name &&
          obj(obj(r.doc.spec).scaleTargetRef).kind === 'Deployment',
      )
    )
      problems.push({
        code: 'DEPLOY.K8S_HPA',
        where,
        message: `no HorizontalPodAutoscaler for Deployment ${w.name}`,
      });
    if (
      !of('PodDisruptionBudget').some((r) =>
        labelsMatch(obj(obj(obj(r.doc.spec).selector).matchLabels), podLabels),
      )
    )
      problems.push({
        code: 'DEPLOY.K8S_PDB',
        where,
        message: `no PodDisruptionBudget selecting ${w.name}'s pods`,
      });
  }

  problems.push(...checkNetworkIsolation(resources, input.workloads, label));

  if (input.topics) {
    const topics = of('KafkaTopic').map((r) => ({
      name: str(obj(r.doc.spec).topicName) ?? show(obj(r.doc.metadata).name),
      partitions: Number(obj(r.doc.spec).partitions),
      retentionMs: Number(obj(obj(r.doc.spec).config)['retention.ms']),
    }));
    const where = `${label} KafkaTopic`;
    problems.push(
      ...compareTopics(namespacedCatalog(input.topics, eventNamespaces, where, problems), topics, where),
    );
    for (const r of of('KafkaTopic'))
      if (!str(obj(obj(r.doc.metadata).labels)['strimzi.io/cluster']))
        problems.push({
          code: 'DEPLOY.TOPICS',
          where: `${r.source} ${resourceId(r.doc)}`,
          message: 'needs the strimzi.io/cluster label',
        });
  }
  return resources.length;
}

/**
 * Evaluates the NetworkPolicies (ingress, same namespace) the way the API defines them: a pod
 * no policy selects accepts everything; a selected pod accepts what some rule of a policy
 * selecting it allows. Every subgraph must accept the gateway and nothing else.
 */
export function checkNetworkIsolation(
  resources: readonly Resource[],
  workloads: readonly Workload[],
  where: string,
): Problem[] {
  const problems: Problem[] = [];
  const policies = resources
    .filter((r) => r.doc.kind === 'NetworkPolicy')
    .map((r) => obj(r.doc.spec))
    .filter(
      (spec) =>
        arr(spec.policyTypes).includes('Ingress') ||
        (spec.policyTypes === undefined && spec.ingress !== undefined),
    );
  const podLabelsOf = (name: string): JsonObject | undefined => {
    const d = resources.find((r) => r.doc.kind === 'Deployment' && obj(r.doc.metadata).name === name);
    return d ? obj(obj(obj(obj(d.doc.spec).template).metadata).labels) : undefined;
  };
  const selects = (selector: JsonObject, labels: JsonObject): boolean =>
    labelsMatch(obj(selector.matchLabels), labels) && arr(selector.matchExpressions).length === 0;
  /** who may reach `target`: 'any' (an external peer or an open rule) or the pods' labels matched */
  const admits = (target: JsonObject, source: JsonObject | 'external'): boolean => {
    const applying = policies.filter((p) => selects(obj(p.podSelector), target));
    if (!applying.length) return true;
    return applying.some((p) =>
      arr(p.ingress).some((rule) => {
        const from = arr(obj(rule).from).filter(isObject);
        if (!from.length) return true;
        return from.some((peer) => {
          if (peer.ipBlock !== undefined || peer.namespaceSelector !== undefined) return true;
          return source !== 'external' && isObject(peer.podSelector) && selects(peer.podSelector, source);
        });
      }),
    );
  };
  const gateway = workloads.find((w) => w.role === 'gateway');
  const gatewayLabels = gateway ? podLabelsOf(gateway.name) : undefined;
  for (const w of workloads.filter((x) => x.role === 'subgraph')) {
    const labels = podLabelsOf(w.name);
    if (!labels) continue;
    const at = `${where} NetworkPolicy for ${w.name}`;
    if (admits(labels, 'external'))
      problems.push({
        code: 'DEPLOY.K8S_NETWORK',
        where: at,
        message: `${w.name} accepts traffic from outside the gateway`,
      });
    for (const other of workloads) {
      if (other.name === w.name || other.role === 'gateway') continue;
      const otherLabels = podLabelsOf(other.name);
      if (!otherLabels) continue;
      // a subgraph reading w's events with personal fields asks w for their keys, and only it
      const asksForKeys = other.role === 'subgraph' && readsPersonalEventsOf(other.name, w.name);
      if (asksForKeys && !admits(labels, otherLabels))
        problems.push({
          code: 'DEPLOY.K8S_NETWORK',
          where: at,
          message: `${other.name} reads sealed events of ${w.name} but cannot reach its key release`,
        });
      if (!asksForKeys && admits(labels, otherLabels))
        problems.push({
          code: 'DEPLOY.K8S_NETWORK',
          where: at,
          message: `${other.name} can reach ${w.name}; only the gateway may (and the readers of its sealed events)`,
        });
    }
    if (gatewayLabels && !admits(labels, gatewayLabels))
      problems.push({ code: 'DEPLOY.K8S_NETWORK', where: at, message: `the gateway cannot reach ${w.name}` });
  }
  return problems;
}

// ---------------------------------------------------------------------------- Dockerfile

/**
 * The Dockerfile rules of the issue: multi-stage, Node 24, production dependencies only, and a
 * final stage that runs as a numeric non-root user.
 */
export function checkDockerfile(path: string, text: string): Problem[] {
  const problems: Problem[] = [];
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const args = new Map<string, string>();
  const stages: { image: string; alias?: string; lines: string[] }[] = [];
  for (const line of lines) {
    const [instruction = '', ...rest] = line.split(/\s+/);
    const upper = instruction.toUpperCase();
    if (upper === 'ARG' && !stages.length) {
      const [name = '', value = ''] = rest.join(' ').split('=');
      args.set(name, value);
    } else if (upper === 'FROM') {
      const words = rest.filter((r) => !r.startsWith('--'));
      const image = (words[0] ?? '').replace(/\$\{?(\w+)\}?/g, (_, n: string) => args.get(n) ?? '');
      const alias = words[1]?.toUpperCase() === 'AS' ? words[2] : undefined;
      stages.push({ image, alias, lines: [] });
    } else {
      stages.at(-1)?.lines.push(line);
    }
  }
  if (stages.length < 2)
    problems.push({ code: 'DEPLOY.DOCKERFILE', where: path, message: 'must be a multi-stage build' });
  const aliases = new Set(stages.map((s) => s.alias).filter(Boolean));
  for (const s of stages)
    if (!aliases.has(s.image) && !/^node:24([.-]|$)/.test(s.image))
      problems.push({
        code: 'DEPLOY.DOCKERFILE',
        where: path,
        message: `stage FROM ${s.image || '(empty)'} is not Node 24`,
      });
  const last = stages.at(-1);
  const user = last?.lines
    .filter((l) => /^USER\s/i.test(l))
    .at(-1)
    ?.split(/\s+/)[1];
  if (!user || !/^[1-9]\d*(:\d+)?$/.test(user))
    problems.push({
      code: 'DEPLOY.DOCKERFILE',
      where: path,
      message: 'the final stage must switch to a numeric non-root USER',
    });
  if (!/--omit=dev/.test(text))
    problems.push({
      code: 'DEPLOY.DOCKERFILE',
      where: path,
      message: 'production dependencies only: install with --omit=dev',
    });
  return problems;
}
