// A kustomize renderer for the subset of kustomize the k8s/ tree uses: resources (files and
// directories), namespace, images, and patches (strategic merge or JSON 6902, by path or
// inline, with an optional target). There is no kubectl on these machines, and deploy:check
// must validate what an overlay actually produces, not its pieces. Pure: it reads files
// through the `files` map it is given (repository-relative path -> content).
import { posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { type Problem, type Validators } from './model';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Resource {
  doc: JsonObject;
  /** file the resource came from */
  source: string;
}

export interface Rendered {
  resources: Resource[];
  problems: Problem[];
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Kinds that live outside namespaces: the namespace transformer leaves them alone. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
]);

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value for a message: scalars as they are, structures as JSON. */
export const show = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);

const clone = <T extends Json>(v: T): T => structuredClone(v);

export function parseYamlDocuments(
  text: string,
  source: string,
): { docs: JsonObject[]; problems: Problem[] } {
  const docs: JsonObject[] = [];
  const problems: Problem[] = [];
  for (const document of parseAllDocuments(text, { uniqueKeys: true })) {
    if (document.errors.length) {
      for (const error of document.errors)
        problems.push({ code: 'DEPLOY.YAML_SYNTAX', where: source, message: error.message });
      continue;
    }
    const value = document.toJS({ maxAliasCount: 100 }) as unknown;
    if (value === null || value === undefined) continue;
    if (!isObject(value)) {
      problems.push({ code: 'DEPLOY.YAML_SYNTAX', where: source, message: 'a document must be a mapping' });
      continue;
    }
    docs.push(value);
  }
  return { docs, problems };
}

export function kustomizationFileOf(
  dir: string,
  files: Readonly<Record<string, string>>,
): string | undefined {
  return KUSTOMIZATION_FILES.map((f) => posix.join(dir, f)).find((p) => files[p] !== undefined);
}

export const resourceId = (doc: JsonObject): string => {
  const meta = isObject(doc.metadata) ? doc.metadata : {};
  const ns = typeof meta.namespace === 'string' ? `${meta.namespace}/` : '';
  return `${show(doc.kind)}/${ns}${show(meta.name)}`;
};

/** Renders the kustomization in `dir`, as `kubectl kustomize dir` would for this subset. */
export function renderKustomization(
  dir: string,
  files: Readonly<Record<string, string>>,
  validators: Pick<Validators, 'kustomization'>,
  seen: ReadonlySet<string> = new Set(),
): Rendered {
  const problems: Problem[] = [];
  const file = kustomizationFileOf(dir, files);
  if (!file)
    return {
      resources: [],
      problems: [{ code: 'DEPLOY.KUSTOMIZE', where: dir, message: 'no kustomization.yaml' }],
    };
  if (seen.has(dir))
    return {
      resources: [],
      problems: [{ code: 'DEPLOY.KUSTOMIZE', where: file, message: 'cycle in resources' }],
    };
  const parsed = parseYamlDocuments(files[file] ?? '', file);
  problems.push(...parsed.problems);
  const k = parsed.docs[0];
  if (!k) return { resources: [], problems };
  const schemaProblems = validators.kustomization(k, file);
  if (schemaProblems.length) return { resources: [], problems: [...problems, ...schemaProblems] };

  let resources: Resource[] = [];
  for (const entry of (k.resources ?? []) as string[]) {
    if (/^[a-z]+:\/\//i.test(entry)) {
      problems.push({
        code: 'DEPLOY.KUSTOMIZE',
        where: file,
        message: `remote resource ${entry} is not supported`,
      });
      continue;
    }
    const path = posix.normalize(posix.join(dir, entry));
    if (files[path] !== undefined) {
      const r = parseYamlDocuments(files[path], path);
      problems.push(...r.problems);
      resources.push(...r.docs.map((doc) => ({ doc, source: path })));
    } else if (kustomizationFileOf(path, files)) {
      const sub = renderKustomization(path, files, validators, new Set([...seen, dir]));
      problems.push(...sub.problems);
      resources.push(...sub.resources);
    } else {
      problems.push({
        code: 'DEPLOY.KUSTOMIZE',
        where: file,
        message: `resource ${entry} not found (${path})`,
      });
    }
  }

  for (const [i, p] of ((k.patches ?? []) as JsonObject[]).entries()) {
    const where = `${file} patches[${i}]`;
    let text: string;
    if (typeof p.path === 'string') {
      const path = posix.normalize(posix.join(dir, p.path));
      if (files[path] === undefined) {
        problems.push({ code: 'DEPLOY.KUSTOMIZE', where, message: `patch file ${p.path} not found` });
        continue;
      }
      text = files[path];
    } else {
      text = show(p.patch);
    }
    const r = applyPatch(resources, text, isObject(p.target) ? p.target : undefined, where);
    problems.push(...r.problems);
    resources = r.resources;
  }

  for (const image of (k.images ?? []) as JsonObject[]) {
    let used = false;
    for (const r of resources) used = setImages(r.doc, image) || used;
    if (!used)
      problems.push({
        code: 'DEPLOY.KUSTOMIZE',
        where: file,
        message: `image ${show(image.name)} is used by no container`,
      });
  }

  if (typeof k.namespace === 'string') {
    for (const r of resources) {
      if (CLUSTER_SCOPED.has(show(r.doc.kind))) continue;
      const meta = isObject(r.doc.metadata) ? r.doc.metadata : (r.doc.metadata = {});
      meta.namespace = k.namespace;
    }
  }
  return { resources, problems };
}

function matchesTarget(doc: JsonObject, target: JsonObject): boolean {
  const [group, version] = show(doc.apiVersion ?? '').includes('/')
    ? show(doc.apiVersion).split('/')
    : ['', show(doc.apiVersion ?? '')];
  const meta = isObject(doc.metadata) ? doc.metadata : {};
  const checks: [Json | undefined, Json | undefined][] = [
    [target.group, group],
    [target.version, version],
    [target.kind, doc.kind],
    [target.name, meta.name],
    [target.namespace, meta.namespace],
  ];
  return checks.every(([want, got]) => want === undefined || want === got);
}

function applyPatch(
  resources: Resource[],
  text: string,
  target: JsonObject | undefined,
  where: string,
): { resources: Resource[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const parsed = parsePatch(text, where);
  if (parsed.problems.length) return { resources, problems: parsed.problems };
  if (parsed.ops) {
    const ops = parsed.ops;
    // JSON 6902: a list of operations, applied to every resource the target selects
    if (!target)
      return {
        resources,
        problems: [{ code: 'DEPLOY.KUSTOMIZE', where, message: 'a JSON 6902 patch needs a target' }],
      };
    const selected = resources.filter((r) => matchesTarget(r.doc, target));
    if (!selected.length)
      problems.push({ code: 'DEPLOY.KUSTOMIZE', where, message: 'the patch target matches no resource' });
    for (const r of selected) {
      try {
        r.doc = applyJsonPatch(r.doc, ops);
      } catch (e) {
        problems.push({
          code: 'DEPLOY.KUSTOMIZE',
          where,
          message: `${resourceId(r.doc)}: ${(e as Error).message}`,
        });
      }
    }
    return { resources, problems };
  }
  for (const patch of parsed.docs) {
    // strategic merge: the patch names its resource unless a target says otherwise
    const meta = isObject(patch.metadata) ? patch.metadata : {};
    const t: JsonObject = target ?? {
      kind: patch.kind ?? null,
      ...(meta.name !== undefined ? { name: meta.name } : {}),
    };
    const selected = resources.filter((r) => matchesTarget(r.doc, t));
    if (!selected.length)
      problems.push({
        code: 'DEPLOY.KUSTOMIZE',
        where,
        message: `the patch matches no resource (${JSON.stringify(t)})`,
      });
    for (const r of selected) {
      const body = clone(patch);
      if (target && isObject(body.metadata)) delete body.metadata.name;
      r.doc = strategicMerge(r.doc, body, '') as JsonObject;
    }
  }
  return { resources, problems };
}

/** A patch is either a list of JSON 6902 operations or strategic-merge documents. */
function parsePatch(text: string, where: string): { ops?: Json[]; docs: JsonObject[]; problems: Problem[] } {
  const all = parseAllDocuments(text, { uniqueKeys: true });
  const first = all[0];
  if (all.length === 1 && first && !first.errors.length) {
    const value = first.toJS() as unknown;
    if (Array.isArray(value)) return { ops: value as Json[], docs: [], problems: [] };
  }
  return parseYamlDocuments(text, where);
}

/** Strategic-merge list keys of the fields the manifests use (as in the Kubernetes API). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  imagePullSecrets: 'name',
  ports: '', // containerPort for containers, port for Services: decided per item below
};

function mergeKeyOf(field: string, item: Json | undefined): string | undefined {
  if (!(field in MERGE_KEYS) || !isObject(item)) return undefined;
  if (field === 'ports') return 'containerPort' in item ? 'containerPort' : 'port';
  return MERGE_KEYS[field];
}

export function strategicMerge(base: Json | undefined, patch: Json, field: string): Json {
  if (isObject(patch)) {
    if (patch.$patch === 'replace') {
      const rest = { ...patch };
      delete rest.$patch;
      return rest;
    }
    const out: JsonObject = isObject(base) ? { ...base } : {};
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete out[key];
      else out[key] = strategicMerge(out[key], value, key);
    }
    return out;
  }
  if (Array.isArray(patch) && Array.isArray(base)) {
    const key = mergeKeyOf(field, patch[0] ?? base[0]);
    if (!key) return patch;
    const out = [...base];
    for (const item of patch) {
      if (!isObject(item)) continue;
      const index = out.findIndex((b) => isObject(b) && b[key] === item[key]);
      if (item.$patch === 'delete') {
        if (index >= 0) out.splice(index, 1);
      } else if (index >= 0) {
        out[index] = strategicMerge(out[index], item, '');
      } else {
        out.push(item);
      }
    }
    return out;
  }
  return patch;
}

const unescapePointer = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');

export function applyJsonPatch(doc: JsonObject, ops: Json[]): JsonObject {
  const out = clone(doc);
  for (const op of ops) {
    if (!isObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string')
      throw new Error('each JSON 6902 operation needs op and path');
    const parts = op.path.split('/').slice(1).map(unescapePointer);
    const last = parts.pop();
    if (last === undefined) throw new Error(`cannot ${op.op} the whole document`);
    let parent: Json = out;
    for (const part of parts) {
      const next: Json | undefined = Array.isArray(parent)
        ? parent[Number(part)]
        : isObject(parent)
          ? parent[part]
          : undefined;
      if (next === undefined) throw new Error(`path ${op.path} does not exist`);
      parent = next;
    }
    const has = Array.isArray(parent) ? Number(last) < parent.length : isObject(parent) && last in parent;
    switch (op.op) {
      case 'add':
      case 'replace':
        if (op.value === undefined) throw new Error(`${op.op} ${op.path} needs a value`);
        if (op.op === 'replace' && !has) throw new Error(`replace: path ${op.path} does not exist`);
        if (Array.isArray(parent)) {
          const index = last === '-' ? parent.length : Number(last);
          if (op.op === 'add') parent.splice(index, 0, clone(op.value));
          else parent[index] = clone(op.value);
        } else if (isObject(parent)) {
          parent[last] = clone(op.value);
        } else {
          throw new Error(`path ${op.path} is inside a scalar`);
        }
        break;
      case 'remove':
        if (!has) throw new Error(`remove: path ${op.path} does not exist`);
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else if (isObject(parent)) delete parent[last];
        break;
      default:
        throw new Error(`unsupported JSON 6902 operation ${op.op}`);
    }
  }
  return out;
}

/** Pod specs inside the workload kinds, where container images live. */
export function podSpecOf(doc: JsonObject): JsonObject | undefined {
  const spec = isObject(doc.spec) ? doc.spec : undefined;
  if (doc.kind === 'Pod') return spec;
  if (doc.kind === 'CronJob') {
    const jobTemplate = spec && isObject(spec.jobTemplate) ? spec.jobTemplate : undefined;
    const jobSpec = jobTemplate && isObject(jobTemplate.spec) ? jobTemplate.spec : undefined;
    const template = jobSpec && isObject(jobSpec.template) ? jobSpec.template : undefined;
    return template && isObject(template.spec) ? template.spec : undefined;
  }
  const template = spec && isObject(spec.template) ? spec.template : undefined;
  return template && isObject(template.spec) ? template.spec : undefined;
}

export function containersOf(doc: JsonObject): JsonObject[] {
  const pod = podSpecOf(doc);
  if (!pod) return [];
  return [
    ...(Array.isArray(pod.initContainers) ? pod.initContainers : []),
    ...(Array.isArray(pod.containers) ? pod.containers : []),
  ].filter(isObject);
}

/** Splits "registry/name:tag@digest" into its name and the rest. */
export function imageName(image: string): string {
  const noDigest = image.split('@')[0] ?? image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

function setImages(doc: JsonObject, image: JsonObject): boolean {
  let used = false;
  for (const c of containersOf(doc)) {
    if (typeof c.image !== 'string' || imageName(c.image) !== image.name) continue;
    used = true;
    const current = c.image;
    const name = typeof image.newName === 'string' ? image.newName : imageName(current);
    const tagMatch = /:([^/:@]+)(@|$)/.exec(current.slice(imageName(current).length));
    const tag = typeof image.newTag === 'string' ? image.newTag : tagMatch?.[1];
    const digest = typeof image.digest === 'string' ? image.digest : current.split('@')[1];
    c.image = `${name}${tag && !image.digest ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  }
  return used;
}
