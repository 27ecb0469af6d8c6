import { EventError } from '@crm/events';
import { escalationFromRequest } from './escalation-request';

const CLAIM = '0b6f4e4e-8f2a-4c57-9a43-5a1f0d0c9e11';
const CLIENT = '5d2c7a90-1b3e-4f6a-8c9d-0e1f2a3b4c5d';

const rejection = (data: unknown): string | undefined => {
  try {
    escalationFromRequest(data);
  } catch (err) {
    return err instanceof EventError ? err.code : 'other';
  }
  return undefined;
};

describe('escalationFromRequest (ClaimEscalationRequested data)', () => {
  it('reads the trigger codes, the CCI score and the client', () => {
    expect(
      escalationFromRequest({
        claimId: CLAIM,
        claimNumber: 'SIN-2026-000001',
        clientId: CLIENT,
        cciScore: 72,
        injuries: true,
        triggers: [
          { code: 'CCI_ABOVE_THRESHOLD', reason: 'Indice de complexité (CCI) de 72' },
          { code: 'INJURIES', reason: 'Blessures déclarées' },
        ],
        requestedAt: '2026-11-21T09:00:00.000Z',
      }),
    ).toEqual({
      claimId: CLAIM,
      clientId: CLIENT,
      reasons: ['CCI_ABOVE_THRESHOLD', 'INJURIES'],
      cciScore: 72,
    });
  });

  it('accepts the earlier shape (reasons as codes) and counts the injuries flag alone', () => {
    expect(
      escalationFromRequest({ claimId: CLAIM, clientId: CLIENT, reasons: ['THIRD_PARTY_RESPONSIBLE'] }),
    ).toEqual({
      claimId: CLAIM,
      clientId: CLIENT,
      reasons: ['THIRD_PARTY_RESPONSIBLE'],
      cciScore: undefined,
    });
    expect(
      escalationFromRequest({ claimId: CLAIM, clientId: CLIENT, injuries: true, triggers: [] }).reasons,
    ).toEqual(['INJURIES']);
  });

  it('keeps at most 10 distinct reasons, clamps the score and leaves out a client id that is not a UUID', () => {
    const input = escalationFromRequest({
      claimId: CLAIM.toUpperCase(),
      clientId: 'CLI-42',
      triggers: Array.from({ length: 14 }, (_, i) => ({ code: `CODE_${i % 12}` })),
      cciScore: 180,
    });
    expect(input.claimId).toBe(CLAIM);
    expect(input.reasons).toHaveLength(10);
    expect(input.cciScore).toBe(100);
    expect(input.clientId).toBeUndefined();
  });

  it('rejects (dead letter, EVENT.REJECTED) a claim id that is not a UUID, or no reason at all', () => {
    expect(rejection({ claimId: 'SIN-1', clientId: CLIENT, reasons: ['INJURIES'] })).toBe('EVENT.REJECTED');
    expect(rejection({ claimId: CLAIM, clientId: CLIENT, triggers: [], injuries: false })).toBe(
      'EVENT.REJECTED',
    );
    expect(rejection(null)).toBe('EVENT.REJECTED');
  });
});
