import { randomUUID } from 'node:crypto';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from '@crm/logging';

/** Codes clients may see with their message; anything else is masked as INTERNAL. */
const SAFE_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);
// Subgraph codes are DOMAIN.REASON (CLAIM.NOT_FOUND, VALIDATION.FAILED, AUTH.FORBIDDEN...).
const DOMAIN_CODE = /^[A-Z_]+\.[A-Z_]+$/;

/**
 * Errors without internals: domain errors pass with their stable code; validation messages
 * lose graphql-js's "Did you mean ...?" hints in production (they leak the schema when
 * introspection is off); everything else becomes INTERNAL with an id to find it in the logs.
 */
export function formatGatewayError(logger: Logger, production: boolean) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : undefined;
    if (code && (DOMAIN_CODE.test(code) || SAFE_CODES.has(code))) {
      const message = production ? formatted.message.replace(/ ?Did you mean .*\?$/, '') : formatted.message;
      const { stacktrace: _stack, serviceName: _service, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, message, extensions };
    }
    const errorId = randomUUID();
    logger.error({ error: formatted, errorId }, 'unexpected error at the gateway');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL', errorId },
    };
  };
}
