import { parseOpenClaim } from '../claims/claim.inputs';
import { intakeOpening } from './intake.rules';
import { intakeData } from '../../test/intake';

const now = new Date('2026-02-04T09:00:00Z');

describe('intakeOpening', () => {
  it('opens under the reserved id with the facts the bot checked, as a valid declaration', () => {
    const opening = intakeOpening(intakeData());
    expect(opening.options).toEqual({
      id: '7e1f2c3d-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
      knownFacts: { contractStatus: 'actif', coverageApplies: true, documentsProvided: true },
      contractOptional: true,
    });
    expect(opening.channel).toBe('CHAT');
    const input = parseOpenClaim(opening.input, now, { contractOptional: true });
    expect(input).toMatchObject({
      clientId: '11111111-1111-4111-8111-111111111111',
      type: 'COLLISION',
      location: 'Lyon',
      estimatedDamage: '2500.00',
      injuries: false,
      channel: 'CHAT',
    });
    expect(input.occurredAt.toISOString()).toBe('2026-02-02T13:30:00.000Z');
  });

  it('uses the named day when no time was given and accepts a claim without an applicable contract', () => {
    const data = { ...intakeData({ occurredAt: null, occurredAtLocal: null }), contractId: null };
    const input = parseOpenClaim(intakeOpening(data).input, now, { contractOptional: true });
    expect(input.occurredAt.toISOString()).toBe('2026-02-02T00:00:00.000Z');
    expect(input.contractId).toBeNull();
    // the GraphQL mutation still requires one
    expect(() => parseOpenClaim(intakeOpening(data).input, now)).toThrow(/contractId/);
  });

  it('never builds a contradictory declaration from the bot answers', () => {
    const input = intakeOpening(
      intakeData({
        thirdPartyInvolved: null,
        thirdPartyResponsible: true,
        policeReport: false,
        policeReportNumber: 'PV-1',
        description: '  ',
      }),
    ).input;
    expect(input).toMatchObject({ thirdPartyInvolved: true, policeReportNumber: null, description: null });
    expect(() => parseOpenClaim(input, now, { contractOptional: true })).not.toThrow();
  });
});
