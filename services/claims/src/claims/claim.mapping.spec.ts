import {
  ACTION_PRIORITY_DB,
  ACTION_STATUS_DB,
  ACTION_TYPE_DB,
  CLAIM_STATUS_DB,
  CLAIM_TYPE_CCI,
  CLAIM_TYPE_DB,
  HANDLING_DB,
  actionPriorityFromDb,
  actionStatusFromDb,
  actionTypeFromDb,
  claimStatusFromDb,
  claimTypeFromDb,
  handlingFromDb,
} from './claim.mapping';
import { CLAIM_TYPES as CCI_CLAIM_TYPES } from '@crm/cci';

describe('French database values <-> English graph values', () => {
  it('uses exactly the seed values the CHECK constraints allow', () => {
    expect(Object.values(CLAIM_STATUS_DB).sort()).toEqual(
      ['nouveau', 'en_cours', 'expert', 'validation', 'fermé', 'escalade', 'en_attente_client'].sort(),
    );
    expect(Object.values(CLAIM_TYPE_DB).sort()).toEqual(
      ['collision', 'vol', 'incendie', 'dégâts', 'blessure'].sort(),
    );
    expect(Object.values(HANDLING_DB).sort()).toEqual(['autonome', 'escalade', 'expert'].sort());
    expect(Object.values(ACTION_TYPE_DB).sort()).toEqual(
      ['envoyer_constat', 'expertise', 'paiement', 'info_client'].sort(),
    );
    expect(Object.values(ACTION_PRIORITY_DB).sort()).toEqual(['haute', 'normale', 'basse'].sort());
    expect(Object.values(ACTION_STATUS_DB).sort()).toEqual(
      ['en_attente', 'en_cours', 'faite', 'ignorée'].sort(),
    );
    expect(Object.values(CLAIM_TYPE_CCI).sort()).toEqual([...CCI_CLAIM_TYPES].sort());
  });

  it('maps every value both ways', () => {
    const roundTrip = <E extends string>(table: Record<E, string>, back: (v: string) => E) =>
      (Object.keys(table) as E[]).forEach((en) => expect(back(table[en])).toBe(en));
    roundTrip(CLAIM_STATUS_DB, claimStatusFromDb);
    roundTrip(CLAIM_TYPE_DB, claimTypeFromDb);
    roundTrip(HANDLING_DB, handlingFromDb);
    roundTrip(ACTION_TYPE_DB, actionTypeFromDb);
    roundTrip(ACTION_PRIORITY_DB, actionPriorityFromDb);
    roundTrip(ACTION_STATUS_DB, actionStatusFromDb);
    expect(claimStatusFromDb('fermé')).toBe('CLOSED');
    expect(claimTypeFromDb('dégâts')).toBe('DAMAGE');
  });

  it('refuses a database value it does not know instead of guessing', () => {
    expect(() => claimStatusFromDb('ferme')).toThrow(/status_dossier: unexpected database value "ferme"/);
    expect(() => actionStatusFromDb('ignoree')).toThrow(/statut/);
  });
});
