import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { StatusChange } from './claim-lifecycle.rules';
import type { RecordedTrigger } from './claim-triggers.rules';

/** Persistence shape of the seed's `sinistres` row (French column names, English properties). */
@Entity({ name: 'sinistres' })
export class ClaimEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id' })
  id!: string;

  @Column({ name: 'numero_sinistre', type: 'varchar', length: 50, unique: true })
  claimNumber!: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId!: string;

  @Column({ name: 'contrat_id', type: 'uuid', nullable: true })
  contractId!: string | null;

  @Column({ name: 'date_sinistre', type: 'timestamp' })
  occurredAt!: Date;

  /** Addition: false when the client named the day only; occurredAt is then that day's start (UTC). */
  @Column({ name: 'heure_connue', type: 'boolean', default: true })
  occurredTimeKnown!: boolean;

  /** French seed value ('collision', 'vol', 'incendie', 'dégâts', 'blessure'). */
  @Column({ name: 'type_sinistre', type: 'varchar', length: 50, nullable: true })
  type!: string | null;

  @Column({ name: 'description', type: 'text', nullable: true })
  description!: string | null;

  @Column({ name: 'lieu', type: 'varchar', length: 255, nullable: true })
  location!: string | null;

  @Column({ name: 'tiers_implique', type: 'boolean', nullable: true })
  thirdPartyInvolved!: boolean | null;

  @Column({ name: 'nom_tiers', type: 'varchar', length: 100, nullable: true })
  thirdPartyName!: string | null;

  @Column({ name: 'contact_tiers', type: 'varchar', length: 20, nullable: true })
  thirdPartyContact!: string | null;

  @Column({ name: 'tiers_responsable', type: 'boolean', nullable: true })
  thirdPartyResponsible!: boolean | null;

  @Column({ name: 'constat_amiable', type: 'boolean', nullable: true })
  amicableReport!: boolean | null;

  @Column({ name: 'numero_constat', type: 'varchar', length: 50, nullable: true })
  amicableReportNumber!: string | null;

  @Column({ name: 'police_intervenue', type: 'boolean', nullable: true })
  policeReport!: boolean | null;

  @Column({ name: 'numero_proces_verbal', type: 'varchar', length: 50, nullable: true })
  policeReportNumber!: string | null;

  /** DECIMAL(12,2): pg returns a string, kept as a string (exact euros). */
  @Column({ name: 'estimation_dommage', type: 'decimal', precision: 12, scale: 2, nullable: true })
  estimatedDamage!: string | null;

  @Column({ name: 'date_estimation', type: 'date', nullable: true })
  estimatedOn!: string | null;

  @Column({ name: 'photo_urls', type: 'jsonb', nullable: true })
  photoUrls!: string[] | null;

  @Column({ name: 'cci_score', type: 'smallint', nullable: true })
  cciScore!: number | null;

  /** French seed value ('nouveau', 'en_cours', ...). */
  @Column({ name: 'status_dossier', type: 'varchar', length: 30, default: 'nouveau' })
  status!: string;

  /** French seed value ('autonome', 'escalade', 'expert'). */
  @Column({ name: 'type_traitement', type: 'varchar', length: 20, nullable: true })
  handling!: string | null;

  @Column({ name: 'conseiller_affecte_id', type: 'uuid', nullable: true })
  assignedAdvisorId!: string | null;

  /** Addition (issue 15): when the assignment in conseiller_affecte_id was made (AdvisorAssigned). */
  @Column({ name: 'conseiller_affecte_le', type: 'timestamp', nullable: true })
  advisorAssignedAt!: Date | null;

  @Column({ name: 'date_creation', type: 'timestamp', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'date_modification', type: 'timestamp', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ name: 'date_fermeture', type: 'timestamp', nullable: true })
  closedAt!: Date | null;

  /** Addition: the seed's "DELETE = Archiver" keeps the row. */
  @Column({ name: 'archived_at', type: 'timestamp', nullable: true })
  archivedAt!: Date | null;

  /** Addition: when the client was erased (his words then taken out; none are written after). */
  @Column({ name: 'client_efface_le', type: 'timestamp', nullable: true })
  clientErasedAt!: Date | null;

  /** Addition: the factors, facts and decision behind cci_score (see claim.rules.ts). */
  @Column({ name: 'cci_breakdown', type: 'jsonb', nullable: true })
  cciBreakdown!: CciBreakdown | null;

  /** Addition: the @crm/cci policy version that produced cci_score. */
  @Column({ name: 'cci_policy_version', type: 'varchar', length: 40, nullable: true })
  cciPolicyVersion!: string | null;

  /** Addition: the seed 2 case this claim belongs to, when there is one. */
  @Column({ name: 'case_id', type: 'varchar', length: 200, nullable: true })
  caseId!: string | null;

  /** Addition (issue 7): every trigger the claim has fired, first detection only (claim-triggers.rules.ts). */
  @Column({ name: 'declencheurs', type: 'jsonb', default: () => "'[]'" })
  triggers!: RecordedTrigger[];

  /** Addition (issue 7): every status change, oldest first, with its actor and reason. */
  @Column({ name: 'historique_statut', type: 'jsonb', default: () => "'[]'" })
  statusHistory!: StatusChange[];
}

/** What `cci_breakdown` holds: enough to explain the score and to replay it. */
export interface CciBreakdown {
  factors: { code: string; label: string; points: number }[];
  /** the @crm/cci facts the score was computed from (replay: scoreClaim(facts, policyByVersion(v))) */
  facts: Record<string, string | number | boolean>;
  handling: 'AUTONOMOUS' | 'ESCALATED' | 'EXPERT';
  triggers: { code: string; reason: string }[];
  thresholds: { autonomousBelow: number; escalateAbove: number };
  scoredAt: string;
}

/** Declarative columns updateClaim may change (GraphQL field = entity property). */
export const UPDATABLE_CLAIM_FIELDS = [
  'occurredAt',
  'occurredTimeKnown',
  'description',
  'location',
  'thirdPartyInvolved',
  'thirdPartyName',
  'thirdPartyContact',
  'thirdPartyResponsible',
  'amicableReport',
  'amicableReportNumber',
  'policeReport',
  'policeReportNumber',
  'estimatedDamage',
  'estimatedOn',
  'photoUrls',
] as const satisfies readonly (keyof ClaimEntity)[];
