// The only file of the gateway that reads process.env (docs/architecture.md, Configuration).
import { isKey, privateKeyOf } from '@crm/auth';
import { env, loadEnvOrExit, tracingVariables, z } from '@crm/config';

const url = () => z.string().url();

export const envSchema = z.object({
  NODE_ENV: env.nodeEnv(),
  HOST: z.string().default('127.0.0.1'),
  PORT: env.port(4000),
  LOG_LEVEL: env.logLevel(),
  METRICS_TOKEN: env.metricsToken(),
  SHUTDOWN_TIMEOUT_MS: env.shutdownTimeoutMs(),
  ...tracingVariables(),
  /** the composed, committed supergraph (npm run supergraph:compose) */
  SUPERGRAPH_PATH: z.string().default('schemas/supergraph.graphql'),
  /** the web front ends' build (npm run web:build), served at /console and /chat */
  WEB_DIST_PATH: z.string().default('web/dist'),
  IDENTITY_URL: url().default('http://127.0.0.1:4001/graphql'),
  CLAIMS_URL: url().default('http://127.0.0.1:4002/graphql'),
  CONVERSATION_URL: url().default('http://127.0.0.1:4003/graphql'),
  REIMBURSEMENT_URL: url().default('http://127.0.0.1:4004/graphql'),
  ESCALATION_URL: url().default('http://127.0.0.1:4005/graphql'),
  /** signs the per-call tokens subgraphs require (Ed25519, PEM, `\\n` for line breaks); the
   * subgraphs hold its public key only */
  INTERNAL_TOKEN_PRIVATE_KEY: z
    .string()
    .refine((v) => isKey(privateKeyOf, v), 'must be an Ed25519 private key, PEM (npm run keys:internal)'),
  /** user tokens (advisors, supervisors, channels) issued by the identity provider, HS256 */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  JWT_ISSUER: z.string().default('crm-idp'),
  JWT_AUDIENCE: z.string().default('crm-gateway'),
  /** proxies in front of the gateway that append to X-Forwarded-For (0: callers connect directly) */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
  /** operation limits: depth and aliases (GraphQL Armor rules), cost multiplied by list sizes
   * (cost.ts), tokens (graphql-js); an advisor's full claim file (client > contracts, 10 claims >
   * messages, reimbursements, escalation > advisor > assignments) costs 8,567 and a supervisor's
   * view of every advisor with his assignments 10,801, at the lists' real caps */
  MAX_DEPTH: z.coerce.number().int().min(1).default(12),
  MAX_ALIASES: z.coerce.number().int().min(0).default(20),
  MAX_COST: z.coerce.number().int().min(1).default(25000),
  MAX_TOKENS: z.coerce.number().int().min(1).default(2000),
  /** bounded caches (MiB, counted as JSON text; crm_graphql_cache_bytes): operations parsed and
   * validated, and the query plans made from them; both are rebuilt on a miss, so a small cache
   * costs CPU, never correctness */
  DOCUMENT_CACHE_MIB: env.cacheMiB(8),
  QUERY_PLAN_CACHE_MIB: env.cacheMiB(8),
  /** WebSocket (subscriptions): the largest frame, in bytes; a subscribe message is a few hundred */
  WS_MAX_PAYLOAD_BYTES: z.coerce.number().int().min(1024).default(65_536),
  /** sockets and live subscriptions one caller (a token's subject) may hold on one gateway process */
  MAX_SOCKETS_PER_PRINCIPAL: z.coerce.number().int().min(1).default(10),
  MAX_SUBSCRIPTIONS_PER_PRINCIPAL: z.coerce.number().int().min(1).default(25),
  /** rate limits (rate-limits.ts): requests to /graphql and WebSocket connection attempts per
   * window, per caller (a token's subject: a busy advisor console makes ~30 a minute, a chat
   * fewer) and per client address (offices and mobile carriers put many callers behind one) */
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  RATE_LIMIT_PER_PRINCIPAL: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(3000),
  /** PostgreSQL shared by the gateway's replicas for those counts; in memory, per process, without */
  RATE_LIMIT_DATABASE_URL: env.postgresUrl().optional(),
  /** the REST facade's partners (POST /api/v1/events, rest/events.ts), per message source:
   * {"SOURCE": {"api_key_sha256": "<hex>", "hmac_secret": "<32+ characters>"}} (either or both);
   * the default is npm start's WEB_CHAT partner (key dev-only-partner-key-web-chat, docs/rest.md),
   * ignored in production */
  PARTNER_CREDENTIALS: z
    .string()
    .refine((v) => {
      try {
        return typeof JSON.parse(v) === 'object';
      } catch {
        return false;
      }
    }, 'must be a JSON object: {"SOURCE": {"api_key_sha256": "...", "hmac_secret": "..."}}')
    .default(
      '{"WEB_CHAT":{"api_key_sha256":"c090c898e036c85e41ca97f380597398292dad434c0357bfab4202ef193cb848"}}',
    ),
});
export type Env = z.infer<typeof envSchema>;

export const loadEnv = (source: NodeJS.ProcessEnv = process.env): Env => loadEnvOrExit(envSchema, source);
