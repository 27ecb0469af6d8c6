// A ClaimOpened event for the package's unit tests (one definition, used by several specs).
import { newEvent } from './envelope';

export const claimOpenedFixture = (id = 'c-1') =>
  newEvent(
    'ClaimOpened',
    {
      claimId: id,
      claimNumber: 'SIN-2026-000001',
      clientId: 'cl-1',
      contractId: 'ct-1',
      claimType: 'DEGAT_DES_EAUX',
      occurredOn: '2026-11-20',
      description: 'fuite sous l’évier',
      channel: 'CHAT',
    },
    { source: 'claims', subject: id, actor: { kind: 'system', id: 'claims' } },
  );
