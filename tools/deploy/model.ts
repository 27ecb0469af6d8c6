// Shared shapes of the deployment checker (tools/deploy). No behaviour here.

/** One finding. `code` is stable (DEPLOY.*), `where` names the file and, when known, the field. */
export interface Problem {
  code: string;
  where: string;
  message: string;
}

/** A variable a workload reads, as declared by the envSchema of its env.ts. */
export interface EnvVarSpec {
  name: string;
  /** no default and not optional: the process refuses to start without it */
  required: boolean;
  /** the schema's default, as a string, when it has one */
  defaultValue?: string;
  /** validates a value with the variable's own schema: an error message, or undefined */
  check?: (value: string) => string | undefined;
}

/** A process that is deployed: the five services and the gateway. */
export interface Workload {
  /** compose service name, Kubernetes Deployment name, directory name */
  name: string;
  role: 'gateway' | 'subgraph';
  /** npm workspace folder, e.g. services/claims */
  workspace: string;
  env: EnvVarSpec[];
}

/** A Kafka topic as the catalog in packages/events declares it. */
export interface TopicDecl {
  name: string;
  partitions: number;
  retentionMs: number;
}

export interface DeployInput {
  /** repository-relative path -> content: docker-compose.yml, deploy/**, k8s/** */
  files: Readonly<Record<string, string>>;
  workloads: readonly Workload[];
  /** the catalog of packages/events; undefined when no catalog could be loaded */
  topics?: readonly TopicDecl[];
}

/** Schema validators; each returns the problems of one document. */
export interface Validators {
  compose(doc: unknown, where: string): Problem[];
  kubernetes(doc: unknown, where: string): Problem[];
  kustomization(doc: unknown, where: string): Problem[];
}
