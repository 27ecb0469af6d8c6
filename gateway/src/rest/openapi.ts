// The OpenAPI 3.1 document of the REST facade, derived at run time from the route table
// (routes.ts) and its zod schemas (resources.ts, z.toJSONSchema: JSON Schema 2020-12, which
// OpenAPI 3.1 schemas are): what serves the routes is what the document says, never written
// twice. Served at /api/v1/openapi.json; `npm run openapi:check` validates it
// (@readme/openapi-parser).
import { z } from '@crm/config';
import { REST_ERRORS, PROBLEM_CONTENT_TYPE } from './problem';
import { schemaRegistry } from './resources';
import { ROUTES, type Route } from './routes';
import { EVENTS_ROUTE } from './events';

type Json = Record<string, unknown>;

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const idOf = (schema: z.ZodType): string => {
  const meta = schemaRegistry.get(schema);
  if (!meta) throw new Error('a route schema is not in the registry (resources.ts named())');
  return meta.id;
};

/** components/schemas: every named schema, as JSON Schema 2020-12 */
function componentSchemas(): Record<string, Json> {
  const { schemas } = z.toJSONSchema(schemaRegistry, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Json> };
  for (const schema of Object.values(schemas)) {
    delete schema.$schema;
    delete schema.$id;
  }
  return schemas;
}

const problemResponse = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE.split(';')[0]!]: { schema: ref('Probleme') } },
});

const PROBLEM_SCHEMA: Json = {
  type: 'object',
  description: 'RFC 9457 problem details, with the stable code (docs/graph.md, docs/rest.md).',
  required: ['type', 'title', 'status', 'detail', 'code', 'instance'],
  properties: {
    type: { type: 'string', description: 'urn:crm:problem:<code en minuscules>' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    code: { type: 'string', examples: ['CLAIM.NOT_FOUND', 'VALIDATION.FAILED', 'AUTH.FORBIDDEN'] },
    instance: { type: 'string', description: 'le chemin de la requête' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
    error_id: { type: 'string', description: 'INTERNAL: retrouve l’erreur dans les journaux' },
  },
};

const HEADERS = {
  ETag: {
    description: 'validateur fort de la représentation: à renvoyer dans If-Match au prochain PUT',
    schema: { type: 'string' },
  },
  Location: { description: 'où lire la ressource créée', schema: { type: 'string' } },
  Link: {
    description: 'RFC 8288: rel="first" et rel="next" (s’il y a une page suivante)',
    schema: { type: 'string' },
  },
  'Idempotent-Replayed': {
    description: 'true: la réponse rejouée d’une requête précédente avec la même Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
  'Retry-After': { description: 'secondes', schema: { type: 'integer' } },
};

function operation(route: Route): Json {
  const parameters: Json[] = Object.entries(route.params).map(([name, description]) => ({
    name,
    in: 'path',
    required: true,
    description,
    schema: { type: 'string' },
  }));
  if (route.query) {
    const schema = z.toJSONSchema(route.query, { target: 'draft-2020-12', io: 'input' }) as {
      properties?: Record<string, Json>;
      required?: string[];
    };
    for (const [name, s] of Object.entries(schema.properties ?? {})) {
      const { description, ...rest } = s as Json & { description?: string };
      parameters.push({
        name,
        in: 'query',
        required: schema.required?.includes(name) ?? false,
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  if (route.precondition) {
    parameters.push({
      name: 'If-Match',
      in: 'header',
      required: route.precondition.required,
      description: route.precondition.required
        ? 'l’ETag de la représentation modifiée (428 sans, 412 si elle a changé)'
        : 'facultatif: s’il est donné, l’ETag courant de la ressource (412 sinon)',
      schema: { type: 'string' },
    });
  }
  if (route.method === 'POST') {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'rejouer sans risque: même clé et même corps (24 h) -> la première réponse; même clé, autre corps -> 422; pendant la première -> 409',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  }
  const success: Json = { description: route.summary };
  if (route.response) {
    success.content = { 'application/json': { schema: ref(idOf(route.response)) } };
  }
  const headers: Json = {};
  if (route.etag || route.precondition || (route.method === 'POST' && route.location))
    headers.ETag = HEADERS.ETag;
  if (route.location) headers.Location = HEADERS.Location;
  if (route.paginated) headers.Link = HEADERS.Link;
  if (route.method === 'POST') headers['Idempotent-Replayed'] = HEADERS['Idempotent-Replayed'];
  if (Object.keys(headers).length) success.headers = headers;

  const responses: Json = {
    [String(route.status)]: success,
    '400': { $ref: '#/components/responses/BadRequest' },
    '401': { $ref: '#/components/responses/Unauthorized' },
    '403': { $ref: '#/components/responses/Forbidden' },
    '429': { $ref: '#/components/responses/TooManyRequests' },
    '500': { $ref: '#/components/responses/Internal' },
  };
  if (route.method === 'GET' && route.etag) responses['304'] = { description: 'If-None-Match: inchangée' };
  if (route.notFound || Object.keys(route.params).length)
    responses['404'] = { $ref: '#/components/responses/NotFound' };
  if (route.body) {
    responses['409'] = { $ref: '#/components/responses/Conflict' };
    responses['413'] = { $ref: '#/components/responses/TooLarge' };
    responses['415'] = { $ref: '#/components/responses/UnsupportedMediaType' };
    responses['422'] = { $ref: '#/components/responses/Unprocessable' };
  }
  if (route.precondition) {
    responses['412'] = { $ref: '#/components/responses/PreconditionFailed' };
    if (route.precondition.required)
      responses['428'] = { $ref: '#/components/responses/PreconditionRequired' };
  }
  return {
    operationId: route.operationName,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: route.body.required,
            content: { 'application/json': { schema: ref(idOf(route.body.schema)) } },
          },
        }
      : {}),
    responses,
    security: [{ bearer: [] }],
    'x-graphql-operation': route.operationName,
  };
}

export interface OpenApiOptions {
  /** the server's URL when known (served documents use the request's origin) */
  serverUrl?: string;
  version?: string;
}

/** The document, built from the route table and its schemas. */
export function openApiDocument(options: OpenApiOptions = {}): Json {
  const paths: Record<string, Json> = {};
  for (const route of ROUTES) {
    const item = (paths[route.path] ??= {});
    item[route.method.toLowerCase()] = operation(route);
  }
  paths[EVENTS_ROUTE.path] = { post: EVENTS_ROUTE.openapi(ref) };
  const errorCodes = Object.keys(REST_ERRORS).join(', ');
  return {
    openapi: '3.1.0',
    info: {
      title: 'Claims CRM — API REST',
      version: options.version ?? '1.0.0',
      description: [
        'La façade REST du CRM sinistres: les points d’entrée du document d’architecture (« API REST CRUD »), aux chemins et verbes qu’il donne, avec les noms de colonnes de son schéma (snake_case, en français).',
        'Chaque point d’entrée est une opération GraphQL nommée (x-graphql-operation) exécutée par la passerelle: mêmes règles d’authentification, d’autorisation, de limites et de masquage des erreurs que /graphql.',
        'Authentification: Authorization: Bearer <jeton> (le même que pour /graphql). Erreurs: application/problem+json (RFC 9457) avec le code stable (docs/graph.md pour ceux du graphe; propres à REST: ' +
          errorCodes +
          ').',
      ].join('\n\n'),
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    tags: [
      { name: 'clients', description: 'Assurés' },
      { name: 'sinistres', description: 'Dossiers de sinistre' },
      { name: 'conversation', description: 'Conversation d’un sinistre' },
      { name: 'remboursements', description: 'Remboursements' },
      { name: 'escalade', description: 'File des conseillers' },
      { name: 'evenements', description: 'Événements des partenaires (seed 2)' },
    ],
    paths,
    components: {
      schemas: { ...componentSchemas(), Probleme: PROBLEM_SCHEMA, ...EVENTS_ROUTE.schemas() },
      responses: {
        BadRequest: problemResponse('requête mal formée (REQUEST.MALFORMED, LIMIT.COST...)'),
        Unauthorized: problemResponse('jeton absent, invalide ou expiré (AUTH.*)'),
        Forbidden: problemResponse('le rôle ou l’appelant n’y a pas droit (AUTH.FORBIDDEN)'),
        NotFound: problemResponse('la ressource n’existe pas (*.NOT_FOUND)'),
        Conflict: problemResponse('conflit (déjà pris, requête idempotente en cours...)'),
        PreconditionFailed: problemResponse('If-Match ne correspond plus: relire la ressource'),
        PreconditionRequired: problemResponse('If-Match manquant'),
        TooLarge: problemResponse('corps trop grand'),
        UnsupportedMediaType: problemResponse('le corps doit être application/json'),
        Unprocessable: problemResponse('corps invalide (VALIDATION.FAILED, avec errors[]) ou règle métier'),
        TooManyRequests: {
          ...problemResponse('trop de requêtes (LIMIT.RATE)'),
          headers: { 'Retry-After': HEADERS['Retry-After'] },
        },
        Internal: problemResponse('erreur interne (INTERNAL, avec error_id)'),
      },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'le jeton d’un conseiller, d’un superviseur ou d’un assuré (comme pour /graphql)',
        },
        ...EVENTS_ROUTE.securitySchemes(),
      },
    },
  };
}
