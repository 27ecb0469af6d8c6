// CCI policy v1. FROZEN: claims recorded with policyVersion "cci-v1" must keep re-scoring
// to the same value, so never edit a weight, band or predicate here. Write cci-v2.ts and
// register it instead (docs/cci.md, "Adding a version"). cci-v1.spec.ts pins these rules.
import { type ClaimFacts, hasInjuries, hasThirdParty } from '../facts';
import { type CciFactorRule, defineCciPolicy } from '../policy';

/** Damage bands in EUR, lower bound inclusive, upper bound exclusive. */
function damageBetween(min: number, max: number): (facts: ClaimFacts) => boolean {
  return (facts) =>
    facts.estimatedDamage != null && facts.estimatedDamage >= min && facts.estimatedDamage < max;
}

function priorClaims(test: (count: number) => boolean): (facts: ClaimFacts) => boolean {
  return (facts) => facts.priorClaimsLast12Months != null && test(facts.priorClaimsLast12Months);
}

/**
 * The legal declaration delay (Code des assurances, art. L113-2) is 5 working days, 2 for a
 * theft. The facts carry calendar days, so this flags a few lawful weekend declarations as
 * late: acceptable for a complexity signal, which never refuses a claim by itself.
 */
function declarationDelayDays(facts: ClaimFacts): number {
  return facts.claimType === 'vol' ? 2 : 5;
}
const VERY_LATE_DAYS = 30;

const rules: CciFactorRule[] = [
  // Nature of the claim: the base complexity of handling it.
  {
    code: 'TYPE_COLLISION',
    label: 'Sinistre de type collision',
    points: 10,
    applies: (f) => f.claimType === 'collision',
  },
  {
    code: 'TYPE_DEGATS',
    label: 'Sinistre de type dégâts',
    points: 10,
    applies: (f) => f.claimType === 'degats',
  },
  // Theft: 30-day recovery wait, valuation by an expert, higher fraud exposure.
  { code: 'TYPE_VOL', label: 'Sinistre de type vol', points: 25, applies: (f) => f.claimType === 'vol' },
  // Fire: cause investigation and expert appraisal are almost always required.
  {
    code: 'TYPE_INCENDIE',
    label: 'Sinistre de type incendie',
    points: 30,
    applies: (f) => f.claimType === 'incendie',
  },
  // The bodily part is counted by INJURIES below, which a 'blessure' claim always implies.
  {
    code: 'TYPE_BLESSURE',
    label: 'Sinistre de type blessure',
    points: 15,
    applies: (f) => f.claimType === 'blessure',
  },

  // Bodily injury: medical assessment, long settlement, possible third-party victims.
  { code: 'INJURIES', label: 'Blessures déclarées', points: 35, applies: hasInjuries },

  // Liability: another party means a liability split to establish and a counterpart insurer.
  { code: 'THIRD_PARTY_INVOLVED', label: 'Tiers impliqué', points: 10, applies: hasThirdParty },
  {
    code: 'THIRD_PARTY_NO_AMICABLE_REPORT',
    label: 'Tiers impliqué sans constat amiable',
    points: 10,
    applies: (f) => hasThirdParty(f) && f.amicableReport === false,
  },
  {
    code: 'THIRD_PARTY_RESPONSIBLE',
    label: 'Tiers responsable (recours à exercer)',
    points: 10,
    applies: (f) => f.thirdPartyResponsible === true,
  },
  // Police intervention signals a serious or contested event. For a theft the complaint is a
  // routine prerequisite, already priced into TYPE_VOL.
  {
    code: 'POLICE_REPORT',
    label: 'Intervention de la police (procès-verbal)',
    points: 10,
    applies: (f) => f.policeReport === true && f.claimType !== 'vol',
  },

  // Amount at stake: expert appraisal and fraud checks grow with it.
  {
    code: 'DAMAGE_1500_5000',
    label: 'Dommages estimés de 1 500 à 5 000 €',
    points: 5,
    applies: damageBetween(1_500, 5_000),
  },
  {
    code: 'DAMAGE_5000_15000',
    label: 'Dommages estimés de 5 000 à 15 000 €',
    points: 15,
    applies: damageBetween(5_000, 15_000),
  },
  {
    code: 'DAMAGE_15000_50000',
    label: 'Dommages estimés de 15 000 à 50 000 €',
    points: 25,
    applies: damageBetween(15_000, 50_000),
  },
  {
    code: 'DAMAGE_50000_PLUS',
    label: 'Dommages estimés à 50 000 € ou plus',
    points: 35,
    applies: damageBetween(50_000, Infinity),
  },

  // Evidence: a claim without photos or documents cannot be assessed on file.
  {
    code: 'DOCUMENTS_MISSING',
    label: 'Photos ou documents non fournis',
    points: 10,
    applies: (f) => f.documentsProvided === false,
  },

  // Contract: a claim the contract may not pay must be reviewed by a person before any answer.
  {
    code: 'CONTRACT_UNKNOWN',
    label: 'Statut du contrat inconnu',
    points: 20,
    applies: (f) => f.contractStatus === 'inconnu',
  },
  {
    code: 'CONTRACT_SUSPENDED',
    label: 'Contrat suspendu',
    points: 30,
    applies: (f) => f.contractStatus === 'suspendu',
  },
  {
    code: 'CONTRACT_TERMINATED',
    label: 'Contrat résilié',
    points: 40,
    applies: (f) => f.contractStatus === 'résilié',
  },
  {
    code: 'NOT_COVERED',
    label: 'Garantie non couverte par le contrat',
    points: 30,
    applies: (f) => f.coverageApplies === false,
  },

  // History: repeated claims call for a closer look.
  {
    code: 'PRIOR_CLAIMS_1',
    label: '1 sinistre au cours des 12 derniers mois',
    points: 5,
    applies: priorClaims((n) => n === 1),
  },
  {
    code: 'PRIOR_CLAIMS_2',
    label: '2 sinistres au cours des 12 derniers mois',
    points: 10,
    applies: priorClaims((n) => n === 2),
  },
  {
    code: 'PRIOR_CLAIMS_3_PLUS',
    label: '3 sinistres ou plus au cours des 12 derniers mois',
    points: 20,
    applies: priorClaims((n) => n >= 3),
  },

  // Declaration delay: late declarations lose evidence and may forfeit cover.
  {
    code: 'LATE_DECLARATION',
    label: 'Déclaration tardive (plus de 5 jours, 2 pour un vol)',
    points: 10,
    applies: (f) =>
      f.daysSinceEvent != null &&
      f.daysSinceEvent > declarationDelayDays(f) &&
      f.daysSinceEvent <= VERY_LATE_DAYS,
  },
  {
    code: 'VERY_LATE_DECLARATION',
    label: 'Déclaration très tardive (plus de 30 jours)',
    points: 20,
    applies: (f) => f.daysSinceEvent != null && f.daysSinceEvent > VERY_LATE_DAYS,
  },
];

export const CCI_POLICY_V1 = defineCciPolicy({ version: 'cci-v1', rules });
