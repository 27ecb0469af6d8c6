// An IntakeCompleted as the conversation's bot publishes it (services/conversation/src/bot/bot.rules.ts).
import type { IntakeCompletedDataV1 } from '@crm/events';

/** Seed scenario: rear-ended at a red light, declared by chat. */
export function intakeData(overrides: Partial<IntakeCompletedDataV1['claim']> = {}): IntakeCompletedDataV1 {
  return {
    conversationId: '0b6c3a3e-6c1f-4c8e-9d55-6d2f1f1c0a01',
    claimId: '7e1f2c3d-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
    clientId: '11111111-1111-4111-8111-111111111111',
    contractId: '22222222-2222-4222-8222-222222222222',
    matricule: 'M123456',
    channel: 'CHAT',
    claim: {
      claimType: 'COLLISION',
      description: 'Percuté par l’arrière au feu rouge',
      occurredOn: '2026-02-02',
      occurredAt: '2026-02-02T13:30:00.000Z',
      occurredAtLocal: '2026-02-02T14:30',
      place: 'Lyon',
      thirdPartyInvolved: true,
      thirdPartyResponsible: false,
      injuries: false,
      amicableReport: true,
      policeReport: false,
      policeReportNumber: null,
      documentsProvided: true,
      estimatedDamage: '2500.00',
      ...overrides,
    },
    facts: { claimType: 'collision', contractStatus: 'actif', coverageApplies: true },
    decision: { handling: 'AUTONOMOUS', cciScore: 25, policyVersion: 'cci-v1', factors: [], triggers: [] },
    transcript: [],
    completedAt: '2026-02-04T09:00:00.000Z',
  };
}
