import { assertNoWordsAfterErasure } from './claim-erasure.rules';

const erased = { id: 'c1', clientErasedAt: new Date('2026-03-01T09:00:00Z') };
const kept = { id: 'c2', clientErasedAt: null };

describe('no words about an erased client', () => {
  it('refuses a description, a place, photos or a reason once he is erased, naming them', () => {
    let thrown: unknown;
    try {
      assertNoWordsAfterErasure(erased, { description: 'rayure', location: undefined, photoUrls: ['x'] });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({
      code: 'CLAIM.CLIENT_ERASED',
      details: { id: 'c1', fields: ['description', 'photoUrls'] },
    });
  });

  it('lets the claim move without words: nothing given, emptied, or cleared', () => {
    expect(() =>
      assertNoWordsAfterErasure(erased, {
        description: null,
        location: '',
        photoUrls: [],
        reason: undefined,
      }),
    ).not.toThrow();
  });

  it('changes nothing for a client not erased', () => {
    expect(() =>
      assertNoWordsAfterErasure(kept, { description: 'rayure', reason: 'pièces reçues' }),
    ).not.toThrow();
  });
});
