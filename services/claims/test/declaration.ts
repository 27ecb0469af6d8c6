// The seed scenario as a parsed openClaim command, for the unit specs of the decide and write
// steps (no I/O): rear-ended at a red light, constat and photos, 2 500 € (CCI 25), on a fixed
// date the caller's `now` follows.
import { parseOpenClaim, type OpenClaimInput } from '../src/claims/claim.inputs';

export const RED_LIGHT_CLIENT = '11111111-1111-4111-8111-111111111111';

export const redLightDeclaration = (now: Date, overrides: Record<string, unknown> = {}): OpenClaimInput =>
  parseOpenClaim(
    {
      clientId: RED_LIGHT_CLIENT,
      contractId: '22222222-2222-4222-8222-222222222222',
      occurredAt: new Date('2026-02-02T14:30:00Z'),
      type: 'COLLISION',
      thirdPartyInvolved: true,
      amicableReport: true,
      policeReport: false,
      estimatedDamage: '2500',
      photoUrls: ['https://photos.example.fr/1.jpg'],
      ...overrides,
    },
    now,
  );
