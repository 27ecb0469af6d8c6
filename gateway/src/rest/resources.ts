// The seed's resources (architecture-crm-production.md, its DDL): for each, the GraphQL
// selection the facade reads it with, its representation (zod: the answers' schema and the
// OpenAPI document's), the mapping from the graph's answer to that representation, and the
// request bodies with the seed's column names and how each maps to the graph's input.
import { z } from '@crm/config';
import {
  CLAIM_HANDLING,
  CLAIM_STATUS,
  CLAIM_TYPE,
  CLIENT_STATUS,
  ESCALATION_STATUS,
  MESSAGE_ROLE,
  PAYMENT_METHOD,
  REIMBURSEMENT_STATUS,
  type SeedValues,
} from './values';

/** Names every schema the OpenAPI document shows (components/schemas). */
export const schemaRegistry = z.registry<{ id: string; description?: string }>();
const named = <S extends z.ZodType>(id: string, description: string, schema: S): S => {
  schemaRegistry.add(schema, { id, description });
  return schema;
};

const id = () => z.guid();
const dateTime = () => z.iso.datetime({ offset: true });
const date = () => z.iso.date();
const french = <F extends string>(values: SeedValues<string, F>) => z.enum(values.french);
/** euros, as the seed's DECIMAL(12,2): a number in JSON; the graph carries it as a string */
const euros = () => z.number().min(0).max(9_999_999_999.99).multipleOf(0.01);
const amountOut = (v: string | null | undefined): number | null => (v == null ? null : Number(v));

// ---------------------------------------------------------------- clients

export const CLIENT_FIELDS = `id matricule civility lastName firstName birthDate email phone address postalCode city status createdAt updatedAt`;

export interface GraphClient {
  id: string;
  matricule: string;
  civility: string | null;
  lastName: string;
  firstName: string;
  birthDate: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  postalCode: string | null;
  city: string | null;
  status: string;
  createdAt: string;
  updatedAt: string;
}

export const Client = named(
  'Client',
  'Un assuré (table clients).',
  z.object({
    id: id(),
    matricule: z.string(),
    civilite: z.string().nullable(),
    nom: z.string(),
    prenom: z.string(),
    date_naissance: date().nullable(),
    email: z.string().nullable(),
    telephone: z.string().nullable(),
    adresse: z.string().nullable(),
    code_postal: z.string().nullable(),
    ville: z.string().nullable(),
    date_creation: dateTime(),
    date_modification: dateTime(),
    statut: french(CLIENT_STATUS),
  }),
);
export type Client = z.infer<typeof Client>;

export const toClient = (c: GraphClient): Client => ({
  id: c.id,
  matricule: c.matricule,
  civilite: c.civility,
  nom: c.lastName,
  prenom: c.firstName,
  date_naissance: c.birthDate,
  email: c.email,
  telephone: c.phone,
  adresse: c.address,
  code_postal: c.postalCode,
  ville: c.city,
  date_creation: c.createdAt,
  date_modification: c.updatedAt,
  statut: CLIENT_STATUS.toFrench(c.status),
});

/** A request body's field: its name in the graph's input and, for an enumeration, its values. */
export interface FieldMapping {
  graph: string;
  values?: SeedValues<string, string>;
  /** converts the seed's value for the graph (euros -> Decimal string) */
  convert?: (value: unknown) => unknown;
}
export type BodyMapping = Readonly<Record<string, FieldMapping | 'read-only'>>;

const text = (max: number) => z.string().max(max);
const optionalText = (max: number) => text(max).nullable().optional();

const CLIENT_WRITABLE = {
  civilite: optionalText(10),
  date_naissance: date().nullable().optional(),
  email: optionalText(100),
  telephone: optionalText(20),
  adresse: optionalText(255),
  code_postal: optionalText(10),
  ville: optionalText(100),
};

export const NewClient = named(
  'NouveauClient',
  'Le corps de POST /api/v1/clients.',
  z.strictObject({
    matricule: z.string().min(1).max(20).meta({ description: 'AB-123-CD, sous toute graphie usuelle' }),
    nom: text(100).min(1),
    prenom: text(100).min(1),
    ...CLIENT_WRITABLE,
  }),
);

/** Absent fields are left as they are, null clears one; the read-only ones are ignored. */
/** fields a client may send back as it read them: the facade ignores them (schema and mapping) */
const CLIENT_READ_ONLY = ['id', 'matricule', 'date_creation', 'date_modification'] as const;

/** a body mapping's read-only entries: what the schema accepts and the facade ignores */
const readOnly = (fields: readonly string[]): BodyMapping =>
  Object.fromEntries(fields.map((k) => [k, 'read-only' as const]));

export const ClientUpdate = named(
  'ModificationClient',
  'Le corps de PUT /api/v1/clients/{id}: les champs absents ne changent pas, null efface un champ facultatif; les champs en lecture seule (id, matricule, dates) sont ignorés.',
  z.strictObject({
    nom: text(100).min(1).optional(),
    prenom: text(100).min(1).optional(),
    ...CLIENT_WRITABLE,
    statut: z.enum(['actif', 'inactif']).optional(),
    ...Object.fromEntries(CLIENT_READ_ONLY.map((k) => [k, z.string().optional().meta({ readOnly: true })])),
  }),
);

export const CLIENT_BODY: BodyMapping = {
  matricule: { graph: 'matricule' },
  civilite: { graph: 'civility' },
  nom: { graph: 'lastName' },
  prenom: { graph: 'firstName' },
  date_naissance: { graph: 'birthDate' },
  email: { graph: 'email' },
  telephone: { graph: 'phone' },
  adresse: { graph: 'address' },
  code_postal: { graph: 'postalCode' },
  ville: { graph: 'city' },
  statut: { graph: 'status', values: CLIENT_STATUS },
};
export const CLIENT_UPDATE_BODY: BodyMapping = {
  ...CLIENT_BODY,
  ...readOnly(CLIENT_READ_ONLY),
};

// ---------------------------------------------------------------- sinistres

/** $staff: the fields only staff may read (the claims subgraph's policies); null for a policyholder */
export const CLAIM_FIELDS = `id claimNumber client { id } contract @include(if: $staff) { id } occurredAt type description location
  thirdPartyInvolved thirdPartyName thirdPartyContact thirdPartyResponsible amicableReport amicableReportNumber
  policeReport policeReportNumber estimatedDamage estimatedOn photoUrls cciScore status handling
  assignedAdvisor @include(if: $staff) { id } createdAt updatedAt closedAt`;

export interface GraphClaim {
  id: string;
  claimNumber: string;
  client: { id: string };
  contract?: { id: string } | null;
  occurredAt: string;
  type: string | null;
  description: string | null;
  location: string | null;
  thirdPartyInvolved: boolean | null;
  thirdPartyName: string | null;
  thirdPartyContact: string | null;
  thirdPartyResponsible: boolean | null;
  amicableReport: boolean | null;
  amicableReportNumber: string | null;
  policeReport: boolean | null;
  policeReportNumber: string | null;
  estimatedDamage: string | null;
  estimatedOn: string | null;
  photoUrls: string[];
  cciScore: number | null;
  status: string;
  handling: string | null;
  assignedAdvisor?: { id: string } | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export const Sinistre = named(
  'Sinistre',
  'Un dossier de sinistre (table sinistres). contrat_id et conseiller_affecte_id ne sont lus que par le personnel (null pour un assuré).',
  z.object({
    id: id(),
    numero_sinistre: z.string(),
    client_id: id(),
    contrat_id: id().nullable(),
    date_sinistre: dateTime(),
    type_sinistre: french(CLAIM_TYPE).nullable(),
    description: z.string().nullable(),
    lieu: z.string().nullable(),
    tiers_implique: z.boolean().nullable(),
    nom_tiers: z.string().nullable(),
    contact_tiers: z.string().nullable(),
    tiers_responsable: z.boolean().nullable(),
    constat_amiable: z.boolean().nullable(),
    numero_constat: z.string().nullable(),
    police_intervenue: z.boolean().nullable(),
    numero_proces_verbal: z.string().nullable(),
    estimation_dommage: z.number().nullable().meta({ description: 'euros' }),
    date_estimation: date().nullable(),
    photo_urls: z.array(z.string()),
    cci_score: z.int().min(0).max(100).nullable(),
    status_dossier: french(CLAIM_STATUS),
    type_traitement: french(CLAIM_HANDLING).nullable(),
    conseiller_affecte_id: id().nullable(),
    date_creation: dateTime(),
    date_modification: dateTime(),
    date_fermeture: dateTime().nullable(),
  }),
);
export type Sinistre = z.infer<typeof Sinistre>;

export const toSinistre = (c: GraphClaim): Sinistre => ({
  id: c.id,
  numero_sinistre: c.claimNumber,
  client_id: c.client.id,
  contrat_id: c.contract?.id ?? null,
  date_sinistre: c.occurredAt,
  type_sinistre: c.type == null ? null : CLAIM_TYPE.toFrench(c.type),
  description: c.description,
  lieu: c.location,
  tiers_implique: c.thirdPartyInvolved,
  nom_tiers: c.thirdPartyName,
  contact_tiers: c.thirdPartyContact,
  tiers_responsable: c.thirdPartyResponsible,
  constat_amiable: c.amicableReport,
  numero_constat: c.amicableReportNumber,
  police_intervenue: c.policeReport,
  numero_proces_verbal: c.policeReportNumber,
  estimation_dommage: amountOut(c.estimatedDamage),
  date_estimation: c.estimatedOn,
  photo_urls: c.photoUrls,
  cci_score: c.cciScore,
  status_dossier: CLAIM_STATUS.toFrench(c.status),
  type_traitement: c.handling == null ? null : CLAIM_HANDLING.toFrench(c.handling),
  conseiller_affecte_id: c.assignedAdvisor?.id ?? null,
  date_creation: c.createdAt,
  date_modification: c.updatedAt,
  date_fermeture: c.closedAt,
});

const CLAIM_FACTS = {
  description: optionalText(5000),
  lieu: optionalText(255),
  tiers_implique: z.boolean().nullable().optional(),
  nom_tiers: optionalText(100),
  contact_tiers: optionalText(20),
  tiers_responsable: z.boolean().nullable().optional(),
  constat_amiable: z.boolean().nullable().optional(),
  numero_constat: optionalText(50),
  police_intervenue: z.boolean().nullable().optional(),
  numero_proces_verbal: optionalText(50),
  estimation_dommage: euros().nullable().optional().meta({ description: 'euros' }),
  date_estimation: date().nullable().optional(),
  photo_urls: z.array(z.string().max(2048)).max(50).optional(),
  blessures: z
    .boolean()
    .optional()
    .meta({ description: 'des blessés (data_collectee.blessures): compte dans le CCI' }),
};

export const NewSinistre = named(
  'NouveauSinistre',
  'Le corps de POST /api/v1/sinistres.',
  z.strictObject({
    client_id: id(),
    contrat_id: id(),
    date_sinistre: dateTime(),
    type_sinistre: french(CLAIM_TYPE),
    ...CLAIM_FACTS,
  }),
);

const SINISTRE_READ_ONLY = [
  'id',
  'numero_sinistre',
  'client_id',
  'contrat_id',
  'cci_score',
  'status_dossier',
  'type_traitement',
  'conseiller_affecte_id',
  'date_creation',
  'date_modification',
  'date_fermeture',
] as const;

export const SinistreUpdate = named(
  'ModificationSinistre',
  'Le corps de PUT /api/v1/sinistres/{id}: les faits déclarés (pas le statut); les champs absents ne changent pas, null efface un champ facultatif; les champs en lecture seule sont ignorés.',
  z.strictObject({
    date_sinistre: dateTime().optional(),
    type_sinistre: french(CLAIM_TYPE).optional(),
    ...CLAIM_FACTS,
    ...Object.fromEntries(
      SINISTRE_READ_ONLY.map((k) => [k, z.unknown().optional().meta({ readOnly: true })]),
    ),
  }),
);

const decimal = (v: unknown) => (typeof v === 'number' ? v.toFixed(2) : v);

export const SINISTRE_BODY: BodyMapping = {
  client_id: { graph: 'clientId' },
  contrat_id: { graph: 'contractId' },
  date_sinistre: { graph: 'occurredAt' },
  type_sinistre: { graph: 'type', values: CLAIM_TYPE },
  description: { graph: 'description' },
  lieu: { graph: 'location' },
  tiers_implique: { graph: 'thirdPartyInvolved' },
  nom_tiers: { graph: 'thirdPartyName' },
  contact_tiers: { graph: 'thirdPartyContact' },
  tiers_responsable: { graph: 'thirdPartyResponsible' },
  constat_amiable: { graph: 'amicableReport' },
  numero_constat: { graph: 'amicableReportNumber' },
  police_intervenue: { graph: 'policeReport' },
  numero_proces_verbal: { graph: 'policeReportNumber' },
  estimation_dommage: { graph: 'estimatedDamage', convert: decimal },
  date_estimation: { graph: 'estimatedOn' },
  photo_urls: { graph: 'photoUrls' },
  blessures: { graph: 'injuries' },
};
export const SINISTRE_UPDATE_BODY: BodyMapping = {
  ...SINISTRE_BODY,
  ...readOnly(SINISTRE_READ_ONLY),
};

export const SinistreFilters = named(
  'FiltresSinistres',
  'Les filtres de GET /api/v1/sinistres.',
  z.strictObject({
    client_id: id().optional(),
    status: french(CLAIM_STATUS).optional(),
    cci: z
      .string()
      .regex(/^\d{1,3}(,\d{1,3})?$/, 'min,max (0-100), e.g. 60,100; or min alone')
      .optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
    cursor: z.string().max(500).optional(),
  }),
);

// ---------------------------------------------------------------- historique_conversation

export const MESSAGE_FIELDS = `id role text sttTranscript sttConfidence audioUrl timestamp metadata`;

export interface GraphMessage {
  id: string;
  role: string;
  text: string | null;
  sttTranscript: string | null;
  sttConfidence: number | null;
  audioUrl: string | null;
  timestamp: string;
  metadata: unknown;
}

export const Message = named(
  'Message',
  'Un message de la conversation d’un sinistre (table historique_conversation).',
  z.object({
    id: id(),
    sinistre_id: id(),
    role: french(MESSAGE_ROLE),
    texte: z.string().nullable(),
    texte_stt: z.string().nullable(),
    confiance_stt: z.number().min(0).max(1).nullable(),
    audio_url: z.string().nullable(),
    timestamp: dateTime(),
    metadata: z.unknown(),
  }),
);
export type Message = z.infer<typeof Message>;

export const toMessage = (claimId: string, m: GraphMessage): Message => ({
  id: m.id,
  sinistre_id: claimId,
  role: MESSAGE_ROLE.toFrench(m.role),
  texte: m.text,
  texte_stt: m.sttTranscript,
  confiance_stt: m.sttConfidence,
  audio_url: m.audioUrl,
  timestamp: m.timestamp,
  metadata: m.metadata ?? null,
});

export const NewMessage = named(
  'NouveauMessage',
  'Le corps de POST /api/v1/sinistres/{id}/conversation: texte ou texte_stt est requis.',
  z.strictObject({
    role: z.enum(['bot', 'user', 'system']),
    texte: optionalText(5000),
    texte_stt: optionalText(500),
    confiance_stt: z.number().min(0).max(1).nullable().optional(),
    audio_url: optionalText(255),
    metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  }),
);
export const MESSAGE_BODY: BodyMapping = {
  role: { graph: 'role', values: MESSAGE_ROLE },
  texte: { graph: 'text' },
  texte_stt: { graph: 'sttTranscript' },
  confiance_stt: { graph: 'sttConfidence' },
  audio_url: { graph: 'audioUrl' },
  metadata: { graph: 'metadata' },
};

// ---------------------------------------------------------------- remboursements

export const REIMBURSEMENT_FIELDS = `id claim { id } amountClaimed amountAccepted deductibleApplied rejectionReason acceptedAt paidAt paymentMethod status createdAt updatedAt`;

export interface GraphReimbursement {
  id: string;
  claim: { id: string };
  amountClaimed: string | null;
  amountAccepted: string | null;
  deductibleApplied: string | null;
  rejectionReason: string | null;
  acceptedAt: string | null;
  paidAt: string | null;
  paymentMethod: string | null;
  status: string;
  createdAt: string;
  updatedAt: string;
}

export const Remboursement = named(
  'Remboursement',
  'Un remboursement (table remboursements); montants en euros.',
  z.object({
    id: id(),
    sinistre_id: id(),
    montant_reclame: z.number().nullable(),
    montant_accepte: z.number().nullable(),
    franchise_appliquee: z.number().nullable(),
    motif_rejet: z.string().nullable(),
    date_acceptation: dateTime().nullable(),
    date_paiement: dateTime().nullable(),
    moyen_paiement: french(PAYMENT_METHOD).nullable(),
    statut: french(REIMBURSEMENT_STATUS),
    date_creation: dateTime(),
    /** not in the seed's DDL: when it last changed (the version a PUT's If-Match guards) */
    date_modification: dateTime(),
  }),
);
export type Remboursement = z.infer<typeof Remboursement>;

export const toRemboursement = (r: GraphReimbursement): Remboursement => ({
  id: r.id,
  sinistre_id: r.claim.id,
  montant_reclame: amountOut(r.amountClaimed),
  montant_accepte: amountOut(r.amountAccepted),
  franchise_appliquee: amountOut(r.deductibleApplied),
  motif_rejet: r.rejectionReason,
  date_acceptation: r.acceptedAt,
  date_paiement: r.paidAt,
  moyen_paiement: r.paymentMethod == null ? null : PAYMENT_METHOD.toFrench(r.paymentMethod),
  statut: REIMBURSEMENT_STATUS.toFrench(r.status),
  date_creation: r.createdAt,
  date_modification: r.updatedAt,
});

export const NewRemboursement = named(
  'NouveauRemboursement',
  'Le corps de POST /api/v1/remboursements.',
  z.strictObject({
    sinistre_id: id(),
    montant_reclame: euros(),
    moyen_paiement: french(PAYMENT_METHOD).optional(),
    /** issue 19: opens it although the contract covers nothing (otherwise rejected with the reason) */
    motif_derogation: text(500).optional(),
  }),
);

export const RemboursementUpdate = named(
  'ModificationRemboursement',
  'Le corps de PUT /api/v1/remboursements/{id}. Champs permis selon le statut visé: en_attente montant_reclame, moyen_paiement; accepté aussi montant_accepte (requis pour accepter), franchise_appliquee; payé moyen_paiement (requis s’il n’est pas connu); rejeté motif_rejet (requis). Accepter des montants autres que la proposition du contrat demande motif_derogation. Les champs en lecture seule sont ignorés.',
  z.strictObject({
    statut: french(REIMBURSEMENT_STATUS).optional(),
    montant_reclame: euros().optional(),
    montant_accepte: euros().optional(),
    franchise_appliquee: euros().optional(),
    motif_rejet: text(255).optional(),
    moyen_paiement: french(PAYMENT_METHOD).optional(),
    /** issue 19: accepting with amounts other than the contract's proposal needs the reason */
    motif_derogation: text(500).optional(),
    ...Object.fromEntries(
      ['id', 'sinistre_id', 'date_acceptation', 'date_paiement', 'date_creation'].map((k) => [
        k,
        z.unknown().optional().meta({ readOnly: true }),
      ]),
    ),
  }),
);

export const REMBOURSEMENT_BODY: BodyMapping = {
  sinistre_id: { graph: 'claimId' },
  statut: { graph: 'status', values: REIMBURSEMENT_STATUS },
  montant_reclame: { graph: 'amountClaimed', convert: decimal },
  montant_accepte: { graph: 'amountAccepted', convert: decimal },
  franchise_appliquee: { graph: 'deductibleApplied', convert: decimal },
  motif_rejet: { graph: 'rejectionReason' },
  moyen_paiement: { graph: 'paymentMethod', values: PAYMENT_METHOD },
  motif_derogation: { graph: 'overrideReason' },
};
export const REMBOURSEMENT_UPDATE_BODY: BodyMapping = {
  ...REMBOURSEMENT_BODY,
  ...Object.fromEntries(
    ['id', 'sinistre_id', 'date_acceptation', 'date_paiement', 'date_creation'].map((k) => [
      k,
      'read-only' as const,
    ]),
  ),
};

// ---------------------------------------------------------------- escalade

export const ESCALATION_FIELDS = `id claim { id } client { id } reasons priority status advisor { id } queuedAt assignedAt resolvedAt resolution`;

export interface GraphEscalation {
  id: string;
  claim: { id: string } | null;
  client: { id: string } | null;
  reasons: string[];
  priority: number;
  status: string;
  advisor: { id: string } | null;
  queuedAt: string;
  assignedAt: string | null;
  resolvedAt: string | null;
  resolution: string | null;
}

export const Escalade = named(
  'Escalade',
  'Une entrée de la file des conseillers (table escalades du service escalation). sinistre_id est null pour une demande de rappel d’un partenaire.',
  z.object({
    id: id(),
    sinistre_id: id().nullable(),
    client_id: id().nullable(),
    raisons: z.array(z.string()),
    priorite: z.int().min(0).max(100),
    statut: french(ESCALATION_STATUS),
    conseiller_id: id().nullable(),
    date_creation: dateTime(),
    date_assignation: dateTime().nullable(),
    date_resolution: dateTime().nullable(),
    resolution: z.string().nullable(),
  }),
);
export type Escalade = z.infer<typeof Escalade>;

export const toEscalade = (e: GraphEscalation): Escalade => ({
  id: e.id,
  sinistre_id: e.claim?.id ?? null,
  client_id: e.client?.id ?? null,
  raisons: e.reasons,
  priorite: e.priority,
  statut: ESCALATION_STATUS.toFrench(e.status),
  conseiller_id: e.advisor?.id ?? null,
  date_creation: e.queuedAt,
  date_assignation: e.assignedAt,
  date_resolution: e.resolvedAt,
  resolution: e.resolution,
});

export const DEFAULT_ESCALATION_REASON = 'MANUAL_ESCALATION';

export const NewEscalade = named(
  'NouvelleEscalade',
  `Le corps (facultatif) de POST /api/v1/escalade/{sinistre_id}; sans raisons: ["${DEFAULT_ESCALATION_REASON}"].`,
  z.strictObject({
    raisons: z.array(text(200).min(1)).min(1).max(10).optional(),
    client_id: id().optional(),
    cci_score: z.int().min(0).max(100).optional(),
  }),
);
export const ESCALADE_BODY: BodyMapping = {
  raisons: { graph: 'reasons' },
  client_id: { graph: 'clientId' },
  cci_score: { graph: 'cciScore' },
};

export const Assignation = named(
  'Assignation',
  'Le corps de PUT /api/v1/escalade/{id}/assigner.',
  z.strictObject({ conseiller_id: id() }),
);
export const ASSIGNATION_BODY: BodyMapping = { conseiller_id: { graph: 'advisorId' } };

export const QueueFilters = named(
  'FiltresFile',
  'Les filtres de GET /api/v1/escalade/queue.',
  z.strictObject({
    statut: french(ESCALATION_STATUS).optional().meta({ description: 'en_attente par défaut' }),
    limit: z.coerce.number().int().min(1).max(100).optional(),
    cursor: z.string().max(500).optional(),
  }),
);

// ---------------------------------------------------------------- collections

const list = <S extends z.ZodType>(idName: string, item: S, paginated: boolean) =>
  named(
    idName,
    paginated
      ? 'Une page: data, le total et le curseur de la page suivante (aussi dans l’en-tête Link).'
      : 'La liste entière.',
    paginated
      ? z.object({ data: z.array(item), total: z.int().min(0), next_cursor: z.string().nullable() })
      : z.object({ data: z.array(item) }),
  );

export const SinistrePage = list('PageSinistres', Sinistre, true);
export const EscaladePage = list('PageEscalades', Escalade, true);
export const Historique = list('Historique', Message, false);
export const Remboursements = list('Remboursements', Remboursement, false);

/** Maps a validated body to the graph's input with the body's field table. */
export function toGraphInput(body: Record<string, unknown>, mapping: BodyMapping): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(body)) {
    const spec = mapping[field];
    if (!spec || spec === 'read-only' || value === undefined) continue;
    let v: unknown = value;
    if (spec.values && typeof v === 'string') v = spec.values.toGraph(v);
    if (spec.convert && v !== null) v = spec.convert(v);
    input[spec.graph] = v;
  }
  return input;
}

/** The seed's name of a graph input field (a VALIDATION.FAILED problem's field), when the table has it. */
export function seedFieldOf(graphField: string, mapping: BodyMapping | undefined): string {
  const bare = graphField.replace(/^input\./, '');
  const [head = bare, ...rest] = bare.split('.');
  for (const [field, spec] of Object.entries(mapping ?? {}))
    if (spec !== 'read-only' && spec.graph === head) return [field, ...rest].join('.');
  return bare;
}
