// The claims this service knows (sinistres_connus), fed by the claims service's ClaimOpened
// through the real consumer (in-process transport, real database): the row, redeliveries,
// ids that are not UUIDs, and a claim that would change owner.
import { randomUUID } from 'node:crypto';
import { type AnyEvent } from '@crm/events';
import { waitFor } from '@crm/testing';
import { claimOpened, startReimbursement, type Harness } from '../../test/harness';
import { KNOWN_CLAIMS_CONSUMER } from './claim.consumer';

const DLQ = 'crm.claims.events.v1.dlq';
let h: Harness;

const known = (claimId: string) =>
  h.sql<Record<string, unknown>>(
    // a DATE read raw would be a local midnight: its text is the day
    `SELECT *, date_sinistre::text AS date_sinistre FROM sinistres_connus WHERE sinistre_id = $1`,
    [claimId],
  );
/** sends the event and waits for its dead letter */
const deadLettered = async (event: AnyEvent) => {
  await h.send(event);
  await waitFor(`${event.id} to be dead-lettered`, () =>
    h.transport.records(DLQ).some((m) => m.headers['event-id'] === event.id),
  );
  return h.transport.records(DLQ).find((m) => m.headers['event-id'] === event.id)!;
};

beforeAll(async () => {
  h = await startReimbursement('reimb_known_claims');
});
afterAll(() => h?.stop());

describe('the claims this service knows (ClaimOpened)', () => {
  it('creates sinistres_connus with ids and the claim facts the assessment reads, nothing personal', async () => {
    const columns = await h.sql<{ column_name: string; data_type: string; is_nullable: string }>(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_name = 'sinistres_connus' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: 'sinistre_id', data_type: 'uuid', is_nullable: 'NO' },
      { column_name: 'client_id', data_type: 'uuid', is_nullable: 'NO' },
      { column_name: 'contrat_id', data_type: 'uuid', is_nullable: 'YES' },
      { column_name: 'date_ouverture', data_type: 'timestamp with time zone', is_nullable: 'NO' },
      { column_name: 'type_sinistre', data_type: 'character varying', is_nullable: 'YES' },
      { column_name: 'date_sinistre', data_type: 'date', is_nullable: 'YES' },
      { column_name: 'tiers_implique', data_type: 'boolean', is_nullable: 'YES' },
      { column_name: 'tiers_responsable', data_type: 'boolean', is_nullable: 'YES' },
      { column_name: 'estimation_dommage', data_type: 'numeric', is_nullable: 'YES' },
      { column_name: 'status_dossier', data_type: 'character varying', is_nullable: 'YES' },
      { column_name: 'date_statut', data_type: 'timestamp with time zone', is_nullable: 'YES' },
      { column_name: 'canal', data_type: 'character varying', is_nullable: 'YES' },
    ]);
  });

  it('records a claim from ClaimOpened, with or without a contract', async () => {
    const [claimId, clientId, contractId, noContract] = [
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
    ];
    const opened = h.event(
      'ClaimOpened',
      claimOpened(claimId, clientId, contractId),
      claimId,
      new Date('2026-02-02T15:00:00.000Z'),
    );
    const bare = h.event('ClaimOpened', claimOpened(noContract, clientId, null), noContract);
    await h.send(opened, bare);
    await h.processed(KNOWN_CLAIMS_CONSUMER, opened.id, bare.id);
    expect(await known(claimId)).toEqual([
      {
        sinistre_id: claimId,
        client_id: clientId,
        contrat_id: contractId,
        date_ouverture: new Date('2026-02-02T15:00:00.000Z'),
        type_sinistre: 'COLLISION',
        date_sinistre: '2026-02-02',
        tiers_implique: null,
        tiers_responsable: null,
        estimation_dommage: null,
        status_dossier: null,
        date_statut: null,
        canal: 'CHAT',
      },
    ]);
    expect(await known(noContract)).toEqual([
      expect.objectContaining({ client_id: clientId, contrat_id: null }),
    ]);
  });

  it('applies a redelivered ClaimOpened once, and a republished one (same facts, new id) changes nothing', async () => {
    const [claimId, clientId, contractId] = [randomUUID(), randomUUID(), randomUUID()];
    const opened = h.event('ClaimOpened', claimOpened(claimId, clientId, contractId), claimId);
    // at-least-once: the same event three times
    await h.send(opened, opened, opened);
    await h.processed(KNOWN_CLAIMS_CONSUMER, opened.id);
    const republished = h.event('ClaimOpened', claimOpened(claimId, clientId, contractId), claimId);
    await h.send(republished);
    await h.processed(KNOWN_CLAIMS_CONSUMER, republished.id);

    const rows = await known(claimId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ client_id: clientId, contrat_id: contractId });
    expect(rows[0]!.date_ouverture).toEqual(new Date(opened.occurredAt));
    expect(await h.processedCount(KNOWN_CLAIMS_CONSUMER, [opened.id])).toBe(1);
    const consumer = (await h.service.runtime.events.health()).consumers.find(
      (c) => c.consumer === KNOWN_CLAIMS_CONSUMER,
    );
    expect(consumer!.duplicates).toBeGreaterThanOrEqual(2);
    expect(h.transport.records(DLQ).filter((m) => m.key === claimId)).toEqual([]);
  });

  it('dead-letters a ClaimOpened whose ids are not UUIDs, naming the field, not the value', async () => {
    const claimId = randomUUID();
    const bad = h.event('ClaimOpened', claimOpened(claimId, 'jean.dupont@example.fr'), claimId);
    const dead = await deadLettered(bad);
    expect(dead.headers['dlq-error-code']).toBe('EVENT.REJECTED');
    expect(dead.headers['dlq-error']).toContain('clientId is not a UUID');
    expect(dead.headers['dlq-error']).not.toContain('dupont');
    expect(await known(claimId)).toEqual([]);
  });

  it('never moves a known claim to another policyholder: the other ClaimOpened is dead-lettered', async () => {
    const [claimId, owner, contractId] = [randomUUID(), randomUUID(), randomUUID()];
    const opened = h.event('ClaimOpened', claimOpened(claimId, owner, contractId), claimId);
    await h.send(opened);
    await h.processed(KNOWN_CLAIMS_CONSUMER, opened.id);

    const intruder = randomUUID();
    const other = h.event('ClaimOpened', claimOpened(claimId, intruder, contractId), claimId);
    const dead = await deadLettered(other);
    expect(dead.headers['dlq-error-code']).toBe('EVENT.REJECTED');
    expect(dead.headers['dlq-error']).not.toContain(intruder);
    expect(await known(claimId)).toEqual([expect.objectContaining({ client_id: owner })]);
    expect(await h.processedCount(KNOWN_CLAIMS_CONSUMER, [other.id])).toBe(0);
  });
});
