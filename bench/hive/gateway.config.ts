// Hive Gateway's configuration for `npm run bench:gateway` (bench/hive/hive-gateway.ts starts
// the CLI with it: `hive-gateway supergraph schemas/supergraph.graphql -c <this file>`). The
// CLI loads it with its own TypeScript loader; everything of one run comes from the
// environment the benchmark gives the process, with the names our gateway reads:
// <SUBGRAPH>_URL, JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE, INTERNAL_TOKEN_PRIVATE_KEY.
import type { GatewayCLIConfig, TransportEntryAdditions } from '@graphql-hive/gateway';
import { InternalTokenSigner } from '@crm/auth';
import { useCrmTokens } from './crm-tokens';

const SUBGRAPHS = ['identity', 'claims', 'conversation', 'reimbursement', 'escalation'] as const;

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`bench/hive/gateway.config.ts: ${name} is not set`);
  return value;
};

const transportEntries: TransportEntryAdditions = {
  // each subgraph at the process the benchmark started (the supergraph names the default ports)
  ...Object.fromEntries(SUBGRAPHS.map((name) => [name, { location: required(`${name.toUpperCase()}_URL`) }])),
  '*.http': {
    options: {
      // Hive merges identical subgraph calls in flight at the same time into one (on by
      // default): the load generator sends one query from 20 connections, so Hive would call
      // the subgraph fewer times than it is asked to. Ours makes every call; so does Hive here.
      deduplicateInflightRequests: false,
    },
  },
};

export const gatewayConfig: GatewayCLIConfig = {
  transportEntries,
  logging: 'error',
  plugins: () => [
    useCrmTokens({
      userTokens: {
        secret: required('JWT_SECRET'),
        issuer: required('JWT_ISSUER'),
        audience: required('JWT_AUDIENCE'),
      },
      signer: new InternalTokenSigner(required('INTERNAL_TOKEN_PRIVATE_KEY')),
    }),
  ],
};
