// POST /api/v1/events: a partner (a web chat, a booking site) or a front end sends a seed 2
// message over HTTP instead of publishing it on Kafka. Authenticated per partner source (the
// message's `source`): an API key (X-Api-Key, kept in the configuration as its SHA-256) and/or
// an HMAC-SHA256 signature of the exact body (X-Signature: sha256=<hex>), as PARTNER_CREDENTIALS
// says for that source. The message is checked exactly as the partner topic's consumers read it
// (@crm/events validatePartnerMessage: the shape, a usable e-mail, the payload of its type),
// then journaled by claims (its ingestPartnerMessage mutation, called as the partner): the same
// journal, rules and idempotent id (sha256(source + source_id): sent twice, applied once) as a
// message read from the partner inbound topic, without the message ever sitting in Kafka, where
// it would be as sent, in clear (docs/privacy.md). Answers 202 { id } once it is journaled.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  EventError,
  PARTNER_INBOUND_SCHEMA,
  PARTNER_MESSAGE_MAX_BYTES,
  validatePartnerMessage,
} from '@crm/events';
import type { GraphQLFormattedError } from 'graphql';
import { z } from '@crm/config';
import type { Logger } from '@crm/logging';
import { DomainError, readBody } from '@crm/subgraph';
import type { RateLimits } from '../rate-limits';
import { rateLimitHeaders, rateLimitMessage } from '../rate-limits';
import { problem, sendProblem } from './problem';

export const EVENTS_PATH = '/api/v1/events';

/**
 * Journals a partner-format message (claims' ingestPartnerMessage, called as the partner
 * `source`); the graph's errors, none when it was journaled (or was already).
 */
export type IngestPartner = (
  message: Record<string, unknown>,
  source: string,
  req: IncomingMessage,
) => Promise<readonly GraphQLFormattedError[]>;

/** One partner source's credentials: either or both. */
export const partnerCredentialSchema = z
  .strictObject({
    /** SHA-256 (hex) of the API key the partner sends in X-Api-Key */
    api_key_sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/i)
      .optional(),
    /** the shared secret of X-Signature: sha256=<hex HMAC-SHA256 of the body> */
    hmac_secret: z.string().min(32).optional(),
  })
  .refine((c) => c.api_key_sha256 || c.hmac_secret, 'give api_key_sha256, hmac_secret or both');
export const partnerCredentialsSchema = z.record(z.string().min(1).max(100), partnerCredentialSchema);
export type PartnerCredentials = z.infer<typeof partnerCredentialsSchema>;

/** npm start's partner (docs/rest.md): refused in production, like every dev-only secret. */
export const DEV_PARTNER_SOURCE = 'WEB_CHAT';
export const DEV_PARTNER_API_KEY = 'dev-only-partner-key-web-chat';
export const DEV_PARTNER_CREDENTIALS = JSON.stringify({
  [DEV_PARTNER_SOURCE]: { api_key_sha256: createHash('sha256').update(DEV_PARTNER_API_KEY).digest('hex') },
});
const DEV_KEY_HASH = createHash('sha256').update(DEV_PARTNER_API_KEY).digest('hex');

/** The configured partners; in production, without the development key. */
export function partnerCredentials(json: string, production: boolean, logger: Logger): PartnerCredentials {
  const parsed = partnerCredentialsSchema.parse(JSON.parse(json));
  if (!production) return parsed;
  return Object.fromEntries(
    Object.entries(parsed).filter(([source, c]) => {
      const dev = c.api_key_sha256?.toLowerCase() === DEV_KEY_HASH || c.hmac_secret?.includes('dev-only');
      if (dev)
        logger.warn({ source }, 'PARTNER_CREDENTIALS: a development credential is ignored in production');
      return !dev;
    }),
  );
}

const equal = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);
const header = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Whether the request proves it comes from `source` (its API key or its body's signature). */
export function partnerAuthenticated(
  credentials: PartnerCredentials,
  source: string,
  raw: string,
  apiKey: string | undefined,
  signature: string | undefined,
): boolean {
  const c = Object.prototype.hasOwnProperty.call(credentials, source) ? credentials[source] : undefined;
  if (!c) return false;
  if (apiKey && c.api_key_sha256) {
    const presented = createHash('sha256').update(apiKey).digest();
    if (equal(presented, Buffer.from(c.api_key_sha256, 'hex'))) return true;
  }
  if (signature && c.hmac_secret) {
    const m = /^sha256=([0-9a-f]{64})$/i.exec(signature.trim());
    if (m?.[1]) {
      const expected = createHmac('sha256', c.hmac_secret).update(raw).digest();
      if (equal(Buffer.from(m[1], 'hex'), expected)) return true;
    }
  }
  return false;
}

export interface EventsDeps {
  credentials: PartnerCredentials;
  ingestPartner: IngestPartner;
  rateLimits: RateLimits;
  logger: Logger;
}

export function createEventsHandler(deps: EventsDeps) {
  return async function handleEvent(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const instance = EVENTS_PATH;
    if (req.method !== 'POST') {
      return sendProblem(res, problem('REQUEST.METHOD_NOT_ALLOWED', 'use POST', instance), { allow: 'POST' });
    }
    let raw: string;
    try {
      raw = await readBody(req, PARTNER_MESSAGE_MAX_BYTES);
    } catch (err) {
      if (err instanceof DomainError) return sendProblem(res, problem(err.code, err.message, instance));
      throw err;
    }
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return sendProblem(res, problem('REQUEST.MALFORMED', 'the body is not JSON', instance));
    }
    const source = (message as { source?: unknown } | null)?.source;
    if (
      typeof source !== 'string' ||
      !partnerAuthenticated(
        deps.credentials,
        source,
        raw,
        header(req, 'x-api-key'),
        header(req, 'x-signature'),
      )
    ) {
      return sendProblem(
        res,
        problem(
          'EVENT.UNAUTHENTICATED',
          'send the API key of the message’s source (X-Api-Key) or the signature of the body (X-Signature: sha256=<hex>)',
          instance,
        ),
        { 'www-authenticate': 'ApiKey realm="crm-partners"' },
      );
    }
    const outcome = await deps.rateLimits.consume('principal', `partner:${source}`);
    if (outcome) {
      for (const [name, value] of Object.entries(rateLimitHeaders(outcome, deps.rateLimits.windowSeconds)))
        res.setHeader(name, value);
      if (!outcome.allowed) {
        return sendProblem(res, problem('LIMIT.RATE', rateLimitMessage(outcome), instance), {
          'retry-after': String(outcome.resetSeconds),
        });
      }
    }
    let event;
    try {
      event = validatePartnerMessage(message);
    } catch (err) {
      if (err instanceof EventError) {
        return sendProblem(res, problem(err.code, err.message.replace(/^EVENT\.[A-Z_]+: /, ''), instance));
      }
      throw err;
    }
    let refused: GraphQLFormattedError | undefined;
    try {
      // journaled by claims, in its transaction, never through Kafka (where it would sit in clear)
      refused = (await deps.ingestPartner(message as Record<string, unknown>, source, req))[0];
    } catch (err) {
      refused = { message: err instanceof Error ? err.message : String(err) };
    }
    if (refused) {
      const code = refused.extensions?.code;
      const details = refused.extensions?.details as { code?: unknown } | undefined;
      // the journal read the message otherwise than this gateway (a source's phone region):
      // answered with the code its consumer would have dead-lettered it with
      if (code === 'CASE.PARTNER_MESSAGE_INVALID' && typeof details?.code === 'string')
        return sendProblem(
          res,
          problem(details.code, refused.message.replace(/^EVENT\.[A-Z_]+: /, ''), instance),
        );
      if (typeof code === 'string' && code.startsWith('CASE.'))
        return sendProblem(res, problem(code, refused.message, instance));
      deps.logger.error({ code, source, eventId: event.id }, 'partner event not journaled');
      return sendProblem(
        res,
        problem('EVENT.UNAVAILABLE', 'the event could not be journaled; send it again', instance),
        { 'retry-after': '5' },
      );
    }
    deps.logger.info({ source, eventId: event.id, type: event.type }, 'partner event accepted');
    res.writeHead(202, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ id: event.id, type: event.type, statut: 'accepte' }));
  };
}

/** What the OpenAPI document says of POST /api/v1/events. */
export const EVENTS_ROUTE = {
  path: EVENTS_PATH,
  schemas(): Record<string, Record<string, unknown>> {
    const { $schema: _s, $id: _i, ...partner } = PARTNER_INBOUND_SCHEMA;
    return {
      MessagePartenaire: partner,
      EvenementAccepte: {
        type: 'object',
        required: ['id', 'type', 'statut'],
        properties: {
          id: { type: 'string', description: 'l’id idempotent de l’événement: sha256(source + source_id)' },
          type: { type: 'string' },
          statut: { type: 'string', enum: ['accepte'] },
        },
      },
    };
  },
  securitySchemes(): Record<string, Record<string, unknown>> {
    return {
      partnerApiKey: {
        type: 'apiKey',
        in: 'header',
        name: 'X-Api-Key',
        description: 'la clé d’API de la source du message (PARTNER_CREDENTIALS)',
      },
      partnerSignature: {
        type: 'apiKey',
        in: 'header',
        name: 'X-Signature',
        description: 'sha256=<hex de HMAC-SHA256(secret de la source, corps exact)>',
      },
    };
  },
  openapi(ref: (id: string) => { $ref: string }): Record<string, unknown> {
    const problemRef = (description: string) => ({
      description,
      content: { 'application/problem+json': { schema: ref('Probleme') } },
    });
    return {
      operationId: 'PublishPartnerEvent',
      tags: ['evenements'],
      summary: 'Envoyer un événement partenaire (seed 2)',
      description:
        'Le message au format des partenaires (partner-inbound.v1), mis tel quel sur le topic partenaire après les mêmes contrôles que ses consommateurs; l’id est sha256(source + source_id): un message envoyé deux fois est appliqué une fois.',
      requestBody: { required: true, content: { 'application/json': { schema: ref('MessagePartenaire') } } },
      responses: {
        '202': {
          description: 'accepté: en file sur le topic partenaire',
          content: { 'application/json': { schema: ref('EvenementAccepte') } },
        },
        '400': problemRef('le corps n’est pas du JSON (REQUEST.MALFORMED)'),
        '401': problemRef('ni clé ni signature valide pour cette source (EVENT.UNAUTHENTICATED)'),
        '413': problemRef('corps trop grand (REQUEST.TOO_LARGE)'),
        '422': problemRef('message invalide (EVENT.INVALID_SCHEMA, EVENT.UNKNOWN_TYPE, EVENT.NO_IDENTITY)'),
        '429': problemRef('trop de requêtes pour cette source (LIMIT.RATE)'),
        '503': problemRef('le topic ne répond pas (EVENT.UNAVAILABLE)'),
      },
      security: [{ partnerApiKey: [] }, { partnerSignature: [] }],
    };
  },
};
