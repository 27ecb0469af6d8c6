// Configuration is parsed once at boot, validated, and passed down (docs/architecture.md, Configuration).
// A bad environment stops the process with every offending variable named, not just the first.
import { z } from 'zod';

export { z };

export class ConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Every development secret committed to this repository carries this marker (npm start's,
 * docker compose's): a production process refuses any secret that has it.
 */
export const DEV_SECRET_MARKER = 'dev-only';

/** Variables whose value is a secret: never printed, and checked for the development marker. */
const SECRET_NAME = /SECRET|PASSWORD|PRIVATE_KEY|TOKEN|(^|_)KEY$/;
/** ...and URLs that carry a password (postgres://user:password@host). */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/:@]+:[^@]+@/i;

const isSecret = (name: string, value: string) => SECRET_NAME.test(name) || URL_WITH_PASSWORD.test(value);

/** A value as an error message may show it: secrets as their length only. */
function shown(name: string, value: string): string {
  return isSecret(name, value) ? `(secret, ${value.length} characters)` : JSON.stringify(value);
}

/**
 * Parses `env` with `schema`; throws a ConfigError naming every bad or missing variable. With
 * NODE_ENV=production, a secret committed to the repository for development is one of them.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const variable = issue.path.join('.') || '(environment)';
      const value = issue.path.length === 1 ? env[String(issue.path[0])] : undefined;
      return value === undefined
        ? `${variable}: ${issue.message}`
        : `${variable}=${shown(variable, value)}: ${issue.message}`;
    });
    throw new ConfigError(problems);
  }
  const parsed = result.data as Record<string, unknown>;
  if (parsed.NODE_ENV === 'production') {
    const committed = Object.keys(parsed).filter((name) => {
      const raw = env[name];
      return typeof raw === 'string' && isSecret(name, raw) && raw.includes(DEV_SECRET_MARKER);
    });
    if (committed.length)
      throw new ConfigError(
        committed.map(
          (name) =>
            `${name}: is a development secret committed to the repository (it contains "${DEV_SECRET_MARKER}"); give production its own`,
        ),
      );
  }
  return result.data;
}

/** For composition roots: parse, or print the problems and exit with status 78 (EX_CONFIG). */
export function loadEnvOrExit<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  try {
    return parseEnv(schema, env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}

/** Reusable variable parsers. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  postgresUrl: () =>
    z
      .string()
      .url()
      .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must be a postgres:// or postgresql:// URL'),
  kafkaBrokers: () =>
    z
      .string()
      .min(1)
      .transform((s) => s.split(',').map((b) => b.trim()))
      .refine(
        (list) => list.every((b) => /^[^\s:]+:\d+$/.test(b)),
        'must be a comma-separated list of host:port',
      ),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  nodeEnv: () => z.enum(['development', 'test', 'production']).default('development'),
  /** METRICS_TOKEN: the bearer token a scraper presents at /metrics (without one: this machine only) */
  metricsToken: () => z.string().min(16, 'must be at least 16 characters').optional(),
  /** OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: a collector's OTLP/HTTP URL */
  otlpEndpoint: () =>
    z
      .string()
      .url()
      .refine((u) => /^https?:\/\//.test(u), 'must be an http:// or https:// URL')
      .optional(),
  /** OTEL_TRACES_SAMPLER_ARG: the share of new traces recorded (0 to 1) */
  traceSampleRatio: () => z.coerce.number().min(0).max(1).default(1),
  /** SHUTDOWN_TIMEOUT_MS: how long a process may take to stop before it exits anyway */
  shutdownTimeoutMs: () => z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** a cache's bound in MiB (DOCUMENT_CACHE_MIB, QUERY_PLAN_CACHE_MIB): 64 KiB to 1 GiB */
  cacheMiB: (fallback: number) => z.coerce.number().min(0.0625).max(1024).default(fallback),
  boolean: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
};

/**
 * The trace variables every process declares (spread into its env schema; @crm/tracing reads
 * them): unset endpoints = traces off (docs/operations.md, Traces).
 */
export const tracingVariables = () => ({
  /** the collector's base URL (traces go to <it>/v1/traces) */
  OTEL_EXPORTER_OTLP_ENDPOINT: env.otlpEndpoint(),
  /** the traces endpoint itself, used as is */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: env.otlpEndpoint(),
  OTEL_TRACES_SAMPLER_ARG: env.traceSampleRatio(),
});
