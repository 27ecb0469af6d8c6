// The REST facade's one table: the seed's seventeen endpoints (architecture-crm-production.md,
// « API REST CRUD »), each a named GraphQL operation run through the gateway's own pipeline
// (handler.ts) with how the path, query and body become its variables and how its answer
// becomes the seed's representation. The handler and the OpenAPI document (openapi.ts) are
// both derived from it.
import { STAFF, hasRole, type Principal } from '@crm/auth';
import type { z } from '@crm/config';
import {
  ASSIGNATION_BODY,
  Assignation,
  CLAIM_FIELDS,
  CLIENT_BODY,
  CLIENT_FIELDS,
  CLIENT_UPDATE_BODY,
  Client,
  ClientUpdate,
  DEFAULT_ESCALATION_REASON,
  ESCALADE_BODY,
  ESCALATION_FIELDS,
  Escalade,
  EscaladePage,
  Historique,
  MESSAGE_BODY,
  MESSAGE_FIELDS,
  Message,
  NewClient,
  NewEscalade,
  NewMessage,
  NewRemboursement,
  NewSinistre,
  QueueFilters,
  REIMBURSEMENT_FIELDS,
  REMBOURSEMENT_BODY,
  REMBOURSEMENT_UPDATE_BODY,
  Remboursement,
  RemboursementUpdate,
  Remboursements,
  SINISTRE_BODY,
  SINISTRE_UPDATE_BODY,
  Sinistre,
  SinistreFilters,
  SinistrePage,
  SinistreUpdate,
  toClient,
  toEscalade,
  toGraphInput,
  toMessage,
  toRemboursement,
  toSinistre,
  type BodyMapping,
  type GraphClaim,
  type GraphClient,
  type GraphEscalation,
  type GraphMessage,
  type GraphReimbursement,
} from './resources';
import { CLAIM_STATUS, ESCALATION_STATUS } from './values';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What a route's mappings see of a request, validated. */
export interface RouteInput {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
  principal: Principal;
  /**
   * PUT: the date_modification of the representation whose ETag If-Match matched; the update
   * carries it as expectedUpdatedAt, so a change made between that read and the write is
   * refused by the service under the row's lock (WRITE.STALE, 412) instead of overwritten
   */
  expectedUpdatedAt?: string;
}

/** A PUT's input: the body, the id, and the version the If-Match check read. */
const guarded = (input: RouteInput, values: Record<string, unknown>) => ({
  ...values,
  id: input.params.id,
  ...(input.expectedUpdatedAt ? { expectedUpdatedAt: input.expectedUpdatedAt } : {}),
});

/** A GraphQL read or write: the named operation, its variables, its answer as the seed's shape. */
export interface Operation {
  operationName: string;
  /** a document with exactly that one named operation */
  document: string;
  variables(input: RouteInput): Record<string, unknown>;
  /** the representation; undefined when the answer says the resource does not exist (404) */
  result(data: Record<string, unknown>, input: RouteInput): unknown;
}

export interface Page {
  items: unknown[];
  total: number;
  nextCursor: string | null;
}

export interface Route extends Operation {
  method: Method;
  /** the seed's path, OpenAPI style: /api/v1/clients/{matricule} */
  path: string;
  summary: string;
  description?: string;
  tag: 'clients' | 'sinistres' | 'conversation' | 'remboursements' | 'escalade';
  /** path parameters and what each is */
  params: Record<string, string>;
  query?: z.ZodObject;
  body?: { schema: z.ZodType; mapping: BodyMapping; required: boolean };
  /** the answer's schema; none for 204 */
  response?: z.ZodType;
  status: 200 | 201 | 204;
  /** the code of a 404 when `result` finds nothing */
  notFound?: string;
  /** 201: where the new resource is read */
  location?: (representation: unknown) => string;
  /** GET: answer with the representation's ETag */
  etag?: boolean;
  /**
   * PUT: the read whose representation the If-Match must match (the same representation GET
   * answers). `required`: 428 without If-Match.
   */
  precondition?: { read: Operation; required: boolean };
  /** a page: `result` returns a Page, answered as { data, total, next_cursor } with Link */
  paginated?: boolean;
}

const isStaff = (p: Principal) => hasRole(p, ...STAFF);
/** $staff selects the fields only staff may read (CLAIM_FIELDS) */
const withStaff = (input: RouteInput, vars: Record<string, unknown>) => ({
  ...vars,
  staff: isStaff(input.principal),
});
const field = <T>(data: Record<string, unknown>, name: string): T | null => (data[name] ?? null) as T | null;
const bodyOf = (input: RouteInput, mapping: BodyMapping) => toGraphInput(input.body, mapping);
const page = <N, R>(
  conn: {
    edges: { node: N }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    totalCount: number;
  },
  map: (n: N) => R,
): Page => ({
  items: conn.edges.map((e) => map(e.node)),
  total: conn.totalCount,
  nextCursor: conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null,
});
type Conn<N> = Parameters<typeof page<N, unknown>>[0];

// ------------------------------------------------------------------ reads shared by GET and PUT

const readClientById: Operation = {
  operationName: 'RestClientById',
  document: `query RestClientById($id: ID!) { client(id: $id) { ${CLIENT_FIELDS} } }`,
  variables: ({ params }) => ({ id: params.id }),
  result: (data) => {
    const c = field<GraphClient>(data, 'client');
    return c ? toClient(c) : undefined;
  },
};

const readClaim: Operation = {
  operationName: 'RestSinistre',
  document: `query RestSinistre($id: ID!, $staff: Boolean!) { claim(id: $id) { ${CLAIM_FIELDS} } }`,
  variables: (input) => withStaff(input, { id: input.params.id }),
  result: (data) => {
    const c = field<GraphClaim>(data, 'claim');
    return c ? toSinistre(c) : undefined;
  },
};

const readReimbursement: Operation = {
  operationName: 'RestRemboursement',
  document: `query RestRemboursement($id: ID!) { reimbursement(id: $id) { ${REIMBURSEMENT_FIELDS} } }`,
  variables: ({ params }) => ({ id: params.id }),
  result: (data) => {
    const r = field<GraphReimbursement>(data, 'reimbursement');
    return r ? toRemboursement(r) : undefined;
  },
};

const readEscalation: Operation = {
  operationName: 'RestEscalade',
  document: `query RestEscalade($id: ID!) { escalation(id: $id) { ${ESCALATION_FIELDS} } }`,
  variables: ({ params }) => ({ id: params.id }),
  result: (data) => {
    const e = field<GraphEscalation>(data, 'escalation');
    return e ? toEscalade(e) : undefined;
  },
};

/** `cci=60,100` (min,max) or `cci=60` (min only) */
export function cciRange(value: unknown): { cciMin?: number; cciMax?: number } {
  if (typeof value !== 'string') return {};
  const [min, max] = value.split(',').map(Number);
  return { ...(min !== undefined ? { cciMin: min } : {}), ...(max !== undefined ? { cciMax: max } : {}) };
}

const CLIENT_PATH = '/api/v1/clients';

export const ROUTES: readonly Route[] = [
  // ------------------------------------------------------------------ clients
  {
    method: 'GET',
    path: `${CLIENT_PATH}/{matricule}`,
    tag: 'clients',
    summary: 'Récupérer un client par son matricule',
    description:
      'Le matricule sous toute graphie usuelle: AB-123-CD, ab123cd, « AB 123 CD » (encodé dans l’URL). Réservé au personnel.',
    params: { matricule: 'le matricule du client, sous toute graphie usuelle' },
    operationName: 'RestClientByMatricule',
    document: `query RestClientByMatricule($matricule: String!) { clientByMatricule(matricule: $matricule) { ${CLIENT_FIELDS} } }`,
    variables: ({ params }) => ({ matricule: params.matricule }),
    result: (data) => {
      const c = field<GraphClient>(data, 'clientByMatricule');
      return c ? toClient(c) : undefined;
    },
    notFound: 'CLIENT.NOT_FOUND',
    response: Client,
    status: 200,
    etag: true,
  },
  {
    method: 'POST',
    path: CLIENT_PATH,
    tag: 'clients',
    summary: 'Créer un client',
    params: {},
    body: { schema: NewClient, mapping: CLIENT_BODY, required: true },
    operationName: 'RestCreateClient',
    document: `mutation RestCreateClient($input: RegisterClientInput!) { registerClient(input: $input) { ${CLIENT_FIELDS} } }`,
    variables: (input) => ({ input: bodyOf(input, CLIENT_BODY) }),
    result: (data) => toClient(field<GraphClient>(data, 'registerClient')!),
    response: Client,
    status: 201,
    location: (c) => `${CLIENT_PATH}/${encodeURIComponent((c as Client).matricule)}`,
  },
  {
    method: 'PUT',
    path: `${CLIENT_PATH}/{id}`,
    tag: 'clients',
    summary: 'Modifier un client',
    description:
      'If-Match: l’ETag de GET /api/v1/clients/{matricule} (ou de la dernière réponse de ce PUT). Les champs absents ne changent pas.',
    params: { id: 'l’identifiant (UUID) du client' },
    body: { schema: ClientUpdate, mapping: CLIENT_UPDATE_BODY, required: true },
    operationName: 'RestUpdateClient',
    document: `mutation RestUpdateClient($input: UpdateClientInput!) { updateClient(input: $input) { ${CLIENT_FIELDS} } }`,
    variables: (input) => ({ input: guarded(input, bodyOf(input, CLIENT_UPDATE_BODY)) }),
    result: (data) => toClient(field<GraphClient>(data, 'updateClient')!),
    response: Client,
    status: 200,
    notFound: 'CLIENT.NOT_FOUND',
    precondition: { read: readClientById, required: true },
  },
  {
    method: 'DELETE',
    path: `${CLIENT_PATH}/{id}`,
    tag: 'clients',
    summary: 'Supprimer un client (RGPD)',
    description:
      'Efface les données personnelles du client (le dossier reste, pseudonymisé; les contrats sont gardés). Idempotent. Réservé aux superviseurs.',
    params: { id: 'l’identifiant (UUID) du client' },
    operationName: 'RestEraseClient',
    document: `mutation RestEraseClient($id: ID!) { eraseClient(id: $id) { id } }`,
    variables: ({ params }) => ({ id: params.id }),
    result: () => null,
    status: 204,
  },

  // ------------------------------------------------------------------ sinistres
  {
    method: 'GET',
    path: '/api/v1/sinistres/{id}',
    tag: 'sinistres',
    summary: 'Détail d’un dossier',
    description: 'Le personnel, ou l’assuré qui l’a déclaré.',
    params: { id: 'l’identifiant (UUID) du sinistre' },
    ...readClaim,
    notFound: 'CLAIM.NOT_FOUND',
    response: Sinistre,
    status: 200,
    etag: true,
  },
  {
    method: 'POST',
    path: '/api/v1/sinistres',
    tag: 'sinistres',
    summary: 'Créer un sinistre',
    description: 'Numérote le dossier, calcule son CCI et publie ClaimOpened et ClaimScored.',
    params: {},
    body: { schema: NewSinistre, mapping: SINISTRE_BODY, required: true },
    operationName: 'RestCreateSinistre',
    document: `mutation RestCreateSinistre($input: OpenClaimInput!, $staff: Boolean!) { openClaim(input: $input) { ${CLAIM_FIELDS} } }`,
    variables: (input) => withStaff(input, { input: bodyOf(input, SINISTRE_BODY) }),
    result: (data) => toSinistre(field<GraphClaim>(data, 'openClaim')!),
    response: Sinistre,
    status: 201,
    location: (s) => `/api/v1/sinistres/${(s as Sinistre).id}`,
  },
  {
    method: 'PUT',
    path: '/api/v1/sinistres/{id}',
    tag: 'sinistres',
    summary: 'Mettre à jour un sinistre',
    description:
      'Corrige ou complète les faits déclarés (pas le statut); un nouveau calcul du CCI publie ClaimScored. If-Match: l’ETag de GET /api/v1/sinistres/{id}.',
    params: { id: 'l’identifiant (UUID) du sinistre' },
    body: { schema: SinistreUpdate, mapping: SINISTRE_UPDATE_BODY, required: true },
    operationName: 'RestUpdateSinistre',
    document: `mutation RestUpdateSinistre($input: UpdateClaimInput!, $staff: Boolean!) { updateClaim(input: $input) { ${CLAIM_FIELDS} } }`,
    variables: (input) => withStaff(input, { input: guarded(input, bodyOf(input, SINISTRE_UPDATE_BODY)) }),
    result: (data) => toSinistre(field<GraphClaim>(data, 'updateClaim')!),
    response: Sinistre,
    status: 200,
    notFound: 'CLAIM.NOT_FOUND',
    precondition: { read: readClaim, required: true },
  },
  {
    method: 'DELETE',
    path: '/api/v1/sinistres/{id}',
    tag: 'sinistres',
    summary: 'Archiver un sinistre',
    description: 'Le dossier est gardé, caché des listes. Idempotent.',
    params: { id: 'l’identifiant (UUID) du sinistre' },
    operationName: 'RestArchiveSinistre',
    document: `mutation RestArchiveSinistre($id: ID!) { archiveClaim(id: $id) { id } }`,
    variables: ({ params }) => ({ id: params.id }),
    result: () => null,
    status: 204,
  },
  {
    method: 'GET',
    path: '/api/v1/sinistres',
    tag: 'sinistres',
    summary: 'Lister les dossiers',
    description:
      'Les plus récents d’abord. Filtres combinables: ?client_id=X (tous les dossiers d’un client), ?status=en_cours, ?cci=60,100 (complexité entre 60 et 100; ?cci=60: au moins 60). Pagination: limit (1-100, 20 par défaut) et cursor (next_cursor, ou l’en-tête Link rel="next"). Réservé au personnel.',
    params: {},
    query: SinistreFilters,
    operationName: 'RestSinistres',
    document: `query RestSinistres($filter: ClaimsFilter, $first: Int, $after: String, $staff: Boolean!) {
      claims(filter: $filter, first: $first, after: $after) {
        edges { node { ${CLAIM_FIELDS} } } pageInfo { hasNextPage endCursor } totalCount
      } }`,
    variables: (input) => {
      const q = input.query;
      return withStaff(input, {
        filter: {
          ...(q.client_id ? { clientId: q.client_id } : {}),
          ...(q.status
            ? { status: CLAIM_STATUS.toGraph(q.status as (typeof CLAIM_STATUS.french)[number]) }
            : {}),
          ...cciRange(q.cci),
        },
        ...(q.limit ? { first: q.limit } : {}),
        ...(q.cursor ? { after: q.cursor } : {}),
      });
    },
    result: (data) => page(field<Conn<GraphClaim>>(data, 'claims')!, toSinistre),
    response: SinistrePage,
    status: 200,
    paginated: true,
  },

  // ------------------------------------------------------------------ conversation
  {
    method: 'POST',
    path: '/api/v1/sinistres/{id}/conversation',
    tag: 'conversation',
    summary: 'Ajouter un message à la conversation d’un sinistre',
    params: { id: 'l’identifiant (UUID) du sinistre' },
    body: { schema: NewMessage, mapping: MESSAGE_BODY, required: true },
    operationName: 'RestAddMessage',
    document: `mutation RestAddMessage($input: AddClaimMessageInput!) { addClaimMessage(input: $input) { ${MESSAGE_FIELDS} } }`,
    variables: (input) => ({ input: { ...bodyOf(input, MESSAGE_BODY), claimId: input.params.id } }),
    result: (data, input) => toMessage(input.params.id!, field<GraphMessage>(data, 'addClaimMessage')!),
    response: Message,
    status: 201,
    location: (m) => `/api/v1/sinistres/${(m as Message).sinistre_id}/historique`,
  },
  {
    method: 'GET',
    path: '/api/v1/sinistres/{id}/historique',
    tag: 'conversation',
    summary: 'Récupérer l’historique de la conversation d’un sinistre',
    description: 'Les messages, du plus ancien au plus récent (au plus les 500 derniers).',
    params: { id: 'l’identifiant (UUID) du sinistre' },
    operationName: 'RestHistorique',
    document: `query RestHistorique($id: ID!) { claim(id: $id) { id } claimHistory(claimId: $id) { ${MESSAGE_FIELDS} } }`,
    variables: ({ params }) => ({ id: params.id }),
    result: (data, input) =>
      field(data, 'claim')
        ? {
            data: (field<GraphMessage[]>(data, 'claimHistory') ?? []).map((m) =>
              toMessage(input.params.id!, m),
            ),
          }
        : undefined,
    notFound: 'CLAIM.NOT_FOUND',
    response: Historique,
    status: 200,
  },

  // ------------------------------------------------------------------ remboursements
  {
    method: 'GET',
    path: '/api/v1/remboursements/{sinistre_id}',
    tag: 'remboursements',
    summary: 'État des remboursements d’un sinistre',
    description: 'Du plus ancien au plus récent (au plus les 50 derniers).',
    params: { sinistre_id: 'l’identifiant (UUID) du sinistre' },
    operationName: 'RestRemboursements',
    document: `query RestRemboursements($id: ID!) { claim(id: $id) { id } reimbursementsByClaim(claimId: $id) { ${REIMBURSEMENT_FIELDS} } }`,
    variables: ({ params }) => ({ id: params.sinistre_id }),
    result: (data) =>
      field(data, 'claim')
        ? { data: (field<GraphReimbursement[]>(data, 'reimbursementsByClaim') ?? []).map(toRemboursement) }
        : undefined,
    notFound: 'CLAIM.NOT_FOUND',
    response: Remboursements,
    status: 200,
  },
  {
    method: 'POST',
    path: '/api/v1/remboursements',
    tag: 'remboursements',
    summary: 'Créer un remboursement',
    params: {},
    body: { schema: NewRemboursement, mapping: REMBOURSEMENT_BODY, required: true },
    operationName: 'RestCreateRemboursement',
    document: `mutation RestCreateRemboursement($input: CreateReimbursementInput!) { createReimbursement(input: $input) { ${REIMBURSEMENT_FIELDS} } }`,
    variables: (input) => ({ input: bodyOf(input, REMBOURSEMENT_BODY) }),
    result: (data) => toRemboursement(field<GraphReimbursement>(data, 'createReimbursement')!),
    response: Remboursement,
    status: 201,
    location: (r) => `/api/v1/remboursements/${(r as Remboursement).sinistre_id}`,
  },
  {
    method: 'PUT',
    path: '/api/v1/remboursements/{id}',
    tag: 'remboursements',
    summary: 'Mettre à jour un remboursement',
    description:
      'Cycle: en_attente -> accepté -> payé; en_attente ou accepté -> rejeté (avec motif_rejet). If-Match: l’ETag de la réponse de POST /api/v1/remboursements ou du dernier PUT.',
    params: { id: 'l’identifiant (UUID) du remboursement' },
    body: { schema: RemboursementUpdate, mapping: REMBOURSEMENT_UPDATE_BODY, required: true },
    operationName: 'RestUpdateRemboursement',
    document: `mutation RestUpdateRemboursement($input: UpdateReimbursementInput!) { updateReimbursement(input: $input) { ${REIMBURSEMENT_FIELDS} } }`,
    variables: (input) => ({ input: guarded(input, bodyOf(input, REMBOURSEMENT_UPDATE_BODY)) }),
    result: (data) => toRemboursement(field<GraphReimbursement>(data, 'updateReimbursement')!),
    response: Remboursement,
    status: 200,
    notFound: 'REIMBURSEMENT.NOT_FOUND',
    precondition: { read: readReimbursement, required: true },
  },

  // ------------------------------------------------------------------ escalade
  {
    method: 'POST',
    path: '/api/v1/escalade/{sinistre_id}',
    tag: 'escalade',
    summary: 'Escalader un cas',
    description:
      'Met le sinistre dans la file des conseillers; s’il y est déjà, répond l’entrée ouverte. Corps facultatif.',
    params: { sinistre_id: 'l’identifiant (UUID) du sinistre' },
    body: { schema: NewEscalade, mapping: ESCALADE_BODY, required: false },
    operationName: 'RestEscalader',
    document: `mutation RestEscalader($input: EscalateClaimInput!) { escalateClaim(input: $input) { ${ESCALATION_FIELDS} } }`,
    variables: (input) => ({
      input: {
        reasons: [DEFAULT_ESCALATION_REASON],
        ...bodyOf(input, ESCALADE_BODY),
        claimId: input.params.sinistre_id,
      },
    }),
    result: (data) => toEscalade(field<GraphEscalation>(data, 'escalateClaim')!),
    response: Escalade,
    status: 201,
    notFound: 'CLAIM.NOT_FOUND',
  },
  {
    method: 'GET',
    path: '/api/v1/escalade/queue',
    tag: 'escalade',
    summary: 'File d’attente des conseillers',
    description:
      'La priorité d’abord, puis l’attente la plus longue. ?statut=en_attente (par défaut), assignee, en_cours, resolue. Pagination: limit et cursor, en-tête Link.',
    params: {},
    query: QueueFilters,
    operationName: 'RestQueue',
    document: `query RestQueue($status: EscalationStatus, $first: Int, $after: String) {
      escalationQueue(status: $status, first: $first, after: $after) {
        edges { node { ${ESCALATION_FIELDS} } } pageInfo { hasNextPage endCursor } totalCount
      } }`,
    variables: ({ query: q }) => ({
      status: ESCALATION_STATUS.toGraph(
        (q.statut as (typeof ESCALATION_STATUS.french)[number] | undefined) ?? 'en_attente',
      ),
      ...(q.limit ? { first: q.limit } : {}),
      ...(q.cursor ? { after: q.cursor } : {}),
    }),
    result: (data) => page(field<Conn<GraphEscalation>>(data, 'escalationQueue')!, toEscalade),
    response: EscaladePage,
    status: 200,
    paginated: true,
  },
  {
    method: 'PUT',
    path: '/api/v1/escalade/{id}/assigner',
    tag: 'escalade',
    summary: 'Assigner une escalade à un conseiller',
    description:
      'Assigne ou réassigne à la main. If-Match facultatif ici (une action, pas le remplacement d’une représentation): s’il est donné, il doit être l’ETag courant de l’entrée (réponse de POST /api/v1/escalade/{sinistre_id} ou du dernier PUT).',
    params: { id: 'l’identifiant (UUID) de l’entrée de la file' },
    body: { schema: Assignation, mapping: ASSIGNATION_BODY, required: true },
    operationName: 'RestAssigner',
    document: `mutation RestAssigner($input: AssignEscalationInput!) { assignEscalation(input: $input) { ${ESCALATION_FIELDS} } }`,
    variables: (input) => ({ input: { ...bodyOf(input, ASSIGNATION_BODY), escalationId: input.params.id } }),
    result: (data) => toEscalade(field<GraphEscalation>(data, 'assignEscalation')!),
    response: Escalade,
    status: 200,
    notFound: 'ESCALATION.NOT_FOUND',
    precondition: { read: readEscalation, required: false },
  },
];

/** A route's path as a regular expression, its parameters captured in order. */
export function pathPattern(path: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { regex: new RegExp(`^${source}/?$`), names };
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

const compiled = ROUTES.map((route) => ({ route, ...pathPattern(route.path) }));
/** literal segments win over parameters: /escalade/queue before /escalade/{sinistre_id} */
const specificity = (path: string) => path.split('/').filter((s) => !s.startsWith('{')).length;
compiled.sort((a, b) => specificity(b.route.path) - specificity(a.route.path));

/** The route for a method and path; `allowed` lists the methods of a path that exists. */
export function matchRoute(
  method: string,
  pathname: string,
): { match?: Match; allowed: Method[]; malformed?: boolean } {
  const allowed: Method[] = [];
  let found: Match | undefined;
  let malformed = false;
  for (const c of compiled) {
    const m = c.regex.exec(pathname);
    if (!m) continue;
    if (!allowed.includes(c.route.method)) allowed.push(c.route.method);
    if (c.route.method !== method || found) continue;
    const params: Record<string, string> = {};
    c.names.forEach((name, i) => {
      try {
        params[name] = decodeURIComponent(m[i + 1]!);
      } catch {
        malformed = true;
      }
    });
    found = { route: c.route, params };
  }
  return { ...(found ? { match: found } : {}), allowed, ...(malformed ? { malformed } : {}) };
}
