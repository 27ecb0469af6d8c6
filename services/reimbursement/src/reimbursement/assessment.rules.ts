// What the contract says about a claim's reimbursement (issue 19): was the contract in force on
// the claim's date, which coverage covers the claim's type, which deductible applies, and the
// amount to propose. Pure: the projections (contrats_connus, sinistres_connus) come in as
// arguments. The table of cases is docs/reimbursement.md's; each row has its test in
// assessment.rules.spec.ts.
import { fromCents, toCents } from './money';

/** The version of these rules recorded with every assessment (an assessment is replayable). */
export const ASSESSMENT_RULES_VERSION = 'couverture-v1';

export type ContractStatus = 'ACTIVE' | 'SUSPENDED' | 'TERMINATED';

/** A contract as identity's ContractIssued told it (contrats_connus). */
export interface ContractTerms {
  contractId: string;
  clientId: string;
  status: ContractStatus;
  /** YYYY-MM-DD */
  subscribedOn: string;
  /** YYYY-MM-DD, null = open-ended */
  expiresOn: string | null;
  /** garanties, as typed by the insurer ("incendie", "vol", "dégâts des eaux"...) */
  coverages: readonly string[];
  /** franchise_tiers, euros */
  thirdPartyDeductible: string | null;
  /** franchise_tiers_collision, euros */
  collisionDeductible: string | null;
  propertyDamageCover: boolean | null;
  thirdPartyCover: boolean | null;
  civilLiabilityCover: boolean | null;
}

/** A claim as the claims service's ClaimOpened told it (sinistres_connus). */
export interface ClaimTerms {
  claimId: string;
  clientId: string;
  contractId: string | null;
  /** the graph's ClaimType: COLLISION, THEFT, FIRE, DAMAGE, INJURY; null when not recorded */
  claimType: string | null;
  /** YYYY-MM-DD, the day of the event */
  occurredOn: string | null;
  thirdPartyInvolved: boolean | null;
  thirdPartyResponsible: boolean | null;
}

export type DeductibleKind = 'franchise_tiers_collision' | 'franchise_tiers';

export type NotCoveredCode =
  | 'NO_CONTRACT'
  | 'CONTRACT_OF_ANOTHER_CLIENT'
  | 'CONTRACT_SUSPENDED'
  | 'CONTRACT_TERMINATED'
  | 'CONTRACT_NOT_IN_FORCE'
  | 'NO_COVERAGE';
export type UnknownCode = 'CLAIM_UNKNOWN' | 'CONTRACT_UNKNOWN' | 'CLAIM_TYPE_UNKNOWN';

export type Assessment =
  | {
      outcome: 'COVERED';
      /** what covers it: a contract column (couverture_*) or `garanties:<name>` */
      coverage: string;
      deductibleKind: DeductibleKind;
      /** the contract's deductible of that kind, euros (0.00 when the contract states none) */
      deductible: string;
      /** French, for the advisor */
      reason: string;
    }
  | { outcome: 'NOT_COVERED'; code: NotCoveredCode; reason: string }
  | { outcome: 'UNKNOWN'; code: UnknownCode; reason: string };

/** The stored assessment (remboursements.evaluation): what was decided, on what, when. */
export type RecordedAssessment = Assessment & {
  rulesVersion: string;
  contractId: string | null;
  assessedAt: string;
};

/** "Dégâts des eaux " -> "degats_des_eaux": garanties are typed by people. */
export function coverageKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** garanties that cover every type of claim */
const ALL_RISKS = ['tous_risques'];
/** garanties by claim type (normalized by coverageKey) */
const GUARANTEES: Record<string, readonly string[]> = {
  COLLISION: ['collision', 'dommages_collision', 'dommages_tous_accidents'],
  THEFT: ['vol', 'vol_tentative_de_vol'],
  FIRE: ['incendie'],
  DAMAGE: [
    'dommages_materiels',
    'degats_des_eaux',
    'bris_de_glace',
    'evenements_climatiques',
    'catastrophes_naturelles',
  ],
  INJURY: ['protection_conducteur', 'garantie_du_conducteur', 'individuelle_accident'],
};

/** Which coverage of the contract covers the claim, or null. First match in the table's order. */
export function coveringCoverage(claim: ClaimTerms, contract: ContractTerms): string | null {
  const type = claim.claimType ?? '';
  const held = new Set(contract.coverages.map(coverageKey));
  const guarantee = [...(GUARANTEES[type] ?? []), ...ALL_RISKS].find((g) => held.has(g));
  if (guarantee) return `garanties:${guarantee}`;
  switch (type) {
    case 'COLLISION':
      if (contract.propertyDamageCover === true) return 'couverture_dommage_materiel';
      // "au tiers": the insurer indemnifies its client and recovers from the responsible party
      if (claim.thirdPartyResponsible === true && contract.thirdPartyCover === true)
        return 'couverture_tiers';
      return null;
    case 'DAMAGE':
      return contract.propertyDamageCover === true ? 'couverture_dommage_materiel' : null;
    case 'INJURY':
      // the policyholder hurt someone else: his civil liability answers for it
      return claim.thirdPartyInvolved === true &&
        claim.thirdPartyResponsible === false &&
        contract.civilLiabilityCover === true
        ? 'couverture_rc_civile'
        : null;
    default:
      return null;
  }
}

/** franchise_tiers_collision for a collision with a responsible third party, franchise_tiers otherwise. */
export function deductibleOf(
  claim: ClaimTerms,
  contract: ContractTerms,
): { kind: DeductibleKind; amount: string } {
  const collision = claim.claimType === 'COLLISION' && claim.thirdPartyResponsible === true;
  const kind: DeductibleKind = collision ? 'franchise_tiers_collision' : 'franchise_tiers';
  const stated = collision ? contract.collisionDeductible : contract.thirdPartyDeductible;
  return { kind, amount: fromCents(toCents(stated ?? '0')) };
}

const TYPE_LABEL: Record<string, string> = {
  COLLISION: 'collision',
  THEFT: 'vol',
  FIRE: 'incendie',
  DAMAGE: 'dégâts',
  INJURY: 'blessure',
};
const frenchDate = (day: string): string => day.split('-').reverse().join('/');

/** The whole decision, in the table's order: the first row that applies wins. */
export function assessClaim(claim: ClaimTerms | null, contract: ContractTerms | null): Assessment {
  if (!claim)
    return {
      outcome: 'UNKNOWN',
      code: 'CLAIM_UNKNOWN',
      reason: 'Sinistre pas encore connu du service de remboursement : montant à saisir par le conseiller',
    };
  if (claim.contractId === null)
    return {
      outcome: 'NOT_COVERED',
      code: 'NO_CONTRACT',
      reason: 'Aucun contrat rattaché au sinistre : aucune garantie ne peut s’appliquer',
    };
  if (!contract)
    return {
      outcome: 'UNKNOWN',
      code: 'CONTRACT_UNKNOWN',
      reason: 'Contrat pas encore connu du service de remboursement : montant à saisir par le conseiller',
    };
  if (contract.clientId !== claim.clientId)
    return {
      outcome: 'NOT_COVERED',
      code: 'CONTRACT_OF_ANOTHER_CLIENT',
      reason: 'Le contrat rattaché au sinistre appartient à un autre assuré',
    };
  if (contract.status === 'SUSPENDED')
    return {
      outcome: 'NOT_COVERED',
      code: 'CONTRACT_SUSPENDED',
      reason: 'Contrat suspendu : aucune garantie ne s’applique',
    };
  if (contract.status === 'TERMINATED')
    return {
      outcome: 'NOT_COVERED',
      code: 'CONTRACT_TERMINATED',
      reason: 'Contrat résilié : aucune garantie ne s’applique',
    };
  if (claim.occurredOn === null || claim.claimType === null)
    return {
      outcome: 'UNKNOWN',
      code: 'CLAIM_TYPE_UNKNOWN',
      reason: 'Type ou date du sinistre inconnus : montant à saisir par le conseiller',
    };
  // dates are YYYY-MM-DD: their order is the string order
  if (
    claim.occurredOn < contract.subscribedOn ||
    (contract.expiresOn !== null && claim.occurredOn > contract.expiresOn)
  ) {
    const until = contract.expiresOn ? ` au ${frenchDate(contract.expiresOn)}` : '';
    return {
      outcome: 'NOT_COVERED',
      code: 'CONTRACT_NOT_IN_FORCE',
      reason: `Contrat non en vigueur le ${frenchDate(claim.occurredOn)} (du ${frenchDate(contract.subscribedOn)}${until})`,
    };
  }
  const coverage = coveringCoverage(claim, contract);
  const type = TYPE_LABEL[claim.claimType] ?? claim.claimType.toLowerCase();
  if (!coverage)
    return {
      outcome: 'NOT_COVERED',
      code: 'NO_COVERAGE',
      reason: `Aucune garantie du contrat ne couvre un sinistre de type ${type}`,
    };
  const deductible = deductibleOf(claim, contract);
  return {
    outcome: 'COVERED',
    coverage,
    deductibleKind: deductible.kind,
    deductible: deductible.amount,
    reason: `Sinistre de type ${type} couvert par ${coverage} ; franchise ${deductible.kind} de ${deductible.amount} €`,
  };
}

/** The amounts the assessment proposes for a claimed amount: everything claimed, less the deductible. */
export interface Proposal {
  amountAccepted: string;
  /** never above the accepted amount (the client then receives nothing) */
  deductibleApplied: string;
  /** what the client receives */
  amountPaid: string;
}

export function proposalFor(assessment: Assessment, amountClaimed: string | null): Proposal | null {
  if (assessment.outcome !== 'COVERED' || amountClaimed === null) return null;
  const accepted = toCents(amountClaimed);
  const deductible = Math.min(toCents(assessment.deductible), accepted);
  return {
    amountAccepted: fromCents(accepted),
    deductibleApplied: fromCents(deductible),
    amountPaid: fromCents(accepted - deductible),
  };
}

/** An advisor departing from the proposal (remboursements.derogation): why, who, what was proposed. */
export interface RecordedOverride {
  /** null once read back for an erased client (its key shredded: docs/privacy.md) */
  reason: string | null;
  actor: { kind: string; id: string };
  at: string;
  /** null when nothing was proposed (a claim nothing covered, accepted by an advisor) */
  proposed: Proposal | null;
  decided: { amountAccepted: string | null; deductibleApplied: string | null };
}

type Amounts = {
  status: string;
  amountClaimed: string | null;
  amountAccepted: string | null;
  deductibleApplied: string | null;
};
type AmountsPatch = {
  status?: string;
  amountClaimed?: string;
  amountAccepted?: string;
  deductibleApplied?: string;
};

export interface ProposalDecision<P extends AmountsPatch> {
  /** the patch with the proposal's amounts filled in where the advisor gave none */
  patch: P;
  /** the amounts depart from the proposal: the reason the advisor gave, and what was proposed */
  override: { reason: string; proposed: Proposal | null } | null;
  /** the advisor should have given a reason and did not (REIMBURSEMENT.OVERRIDE_REASON_REQUIRED) */
  missingReason: Proposal | null;
}

/**
 * Accepting a reimbursement whose claim the contract covers: absent amounts take the proposal's;
 * amounts that depart from it need the advisor's reason, recorded as an override. Nothing changes
 * for a reimbursement that is not being accepted, nor for one without a proposal (claim or
 * contract unknown: the advisor types the amounts as before).
 */
export function applyProposal<P extends AmountsPatch>(
  assessment: Assessment | null,
  current: Amounts,
  patch: P,
  overrideReason: string | undefined,
): ProposalDecision<P> {
  const target = patch.status ?? current.status;
  const entering = target === 'ACCEPTED' && current.status !== 'ACCEPTED';
  const editsAmounts =
    patch.amountAccepted !== undefined ||
    patch.deductibleApplied !== undefined ||
    patch.amountClaimed !== undefined;
  const untouched = { patch, override: null, missingReason: null };
  if (target !== 'ACCEPTED' || (!entering && !editsAmounts)) return untouched;
  const proposal = assessment ? proposalFor(assessment, patch.amountClaimed ?? current.amountClaimed) : null;
  if (!proposal) {
    // nothing proposed: a reason given is still the advisor's account of his decision
    return overrideReason
      ? { ...untouched, override: { reason: overrideReason, proposed: null } }
      : untouched;
  }
  const accepted =
    patch.amountAccepted ??
    (entering ? proposal.amountAccepted : (current.amountAccepted ?? proposal.amountAccepted));
  const cap = (deductible: string) => fromCents(Math.min(toCents(deductible), toCents(accepted)));
  const fullDeductible = assessment?.outcome === 'COVERED' ? assessment.deductible : '0';
  const deductible =
    patch.deductibleApplied ??
    (entering || patch.amountAccepted !== undefined
      ? cap(fullDeductible)
      : (current.deductibleApplied ?? cap(fullDeductible)));
  const filled: P = { ...patch, amountAccepted: accepted, deductibleApplied: deductible };
  const departs =
    toCents(accepted) !== toCents(proposal.amountAccepted) ||
    toCents(deductible) !== toCents(cap(fullDeductible));
  if (!departs) return { patch: filled, override: null, missingReason: null };
  if (!overrideReason) return { patch: filled, override: null, missingReason: proposal };
  return { patch: filled, override: { reason: overrideReason, proposed: proposal }, missingReason: null };
}
