// The events identity publishes are valid against their JSON Schemas (the outbox refuses
// anything else), carry what the bot's projection needs, and no personal data on erasure.
import { EventError, partnerMessageKey, validateEvent } from '@crm/events';
import { clientErased, clientRegistered, clientUpdated } from './client/client.events';
import { eraseClient, type ClientState } from './client/client.rules';
import { contractIssued } from './contract/contract.events';
import type { ContractState } from './contract/contract.rules';
import { leadErased, leadUpserted } from './lead/lead.events';
import { CASES_PER_EVENT } from './lead/lead.rules';
import { clientPinChanged } from './pin/pin.events';
import { callerOf, callerOfEvent } from '@crm/subgraph';

const meta = callerOf({ principal: { sub: 'adv-1', roles: ['advisor'] }, correlationId: 'req-1' });
const now = new Date('2026-11-21T09:00:00.000Z');
const client: ClientState = {
  id: '3f2b8c1e-9a4d-4e2b-8f6a-1c2d3e4f5a6b',
  matricule: 'AB-123-CD',
  civility: null,
  lastName: 'Durand',
  firstName: 'Sophie',
  birthDate: null,
  email: 'sophie@example.fr',
  phone: '+33612345678',
  address: null,
  postalCode: null,
  city: 'Lyon',
  createdAt: now,
  updatedAt: now,
  status: 'ACTIVE',
};

describe('identity events', () => {
  it('ClientRegistered: the whole record, empty fields absent, keyed by the client id', () => {
    const event = validateEvent(clientRegistered(client, meta));
    expect(event).toMatchObject({ type: 'ClientRegistered', subject: client.id, correlationId: 'req-1' });
    expect(event.data).toEqual({
      clientId: client.id,
      matricule: 'AB-123-CD',
      lastName: 'Durand',
      firstName: 'Sophie',
      email: 'sophie@example.fr',
      phone: '+33612345678',
      city: 'Lyon',
      status: 'ACTIVE',
      registeredAt: '2026-11-21T09:00:00.000Z',
    });
  });

  it('ClientUpdated: the record after the change and the changed field names', () => {
    const event = validateEvent(
      clientUpdated({ ...client, city: null, status: 'INACTIVE' }, ['city', 'status'], meta),
    );
    expect(event.data).toMatchObject({ changedFields: ['city', 'status'], status: 'INACTIVE' });
    expect(event.data).not.toHaveProperty('city');
    expect(() => clientUpdated(client, [], meta)).toThrow(/at least one/);
  });

  it('ClientErased: the id, the contract ids and the digest of his e-mail, no personal data', () => {
    const erased = eraseClient(client, now);
    const event = validateEvent(
      clientErased(erased, ['11111111-1111-4111-8111-111111111111'], [], 'sophie@example.fr', meta),
    );
    expect(event).toMatchObject({ version: 3, subject: client.id });
    // no lead cases: the field is absent, as in v1
    expect(event.data).toEqual({
      clientId: client.id,
      contractIds: ['11111111-1111-4111-8111-111111111111'],
      erasedAt: '2026-11-21T09:00:00.000Z',
      reason: 'GDPR_REQUEST',
      // what partners key his messages by (claims shreds his dead letters' key with it)
      partnerKey: partnerMessageKey('sophie@example.fr'),
    });
    expect((event.data as { partnerKey: string }).partnerKey).toMatch(/^[0-9a-f]{64}$/);
    // a client without e-mail: no digest
    expect(validateEvent(clientErased(erased, [], [], null, meta)).data).not.toHaveProperty('partnerKey');
    expect(JSON.stringify(event)).not.toMatch(/Durand|Sophie|AB-123-CD|sophie@/);
    expect(() => clientRegistered(erased, meta)).toThrow(/erased/);
  });

  it('ClientErased v2: the cases of the lead erased with the client, at most 500', () => {
    const erased = eraseClient(client, now);
    const event = validateEvent(clientErased(erased, [], ['case-a', 'case-b'], null, meta));
    expect(event.data).toEqual({
      clientId: client.id,
      contractIds: [],
      erasedAt: '2026-11-21T09:00:00.000Z',
      reason: 'GDPR_REQUEST',
      leadCaseIds: ['case-a', 'case-b'],
    });
    const tooMany = Array.from({ length: CASES_PER_EVENT + 1 }, (_, i) => `case-${i}`);
    expect(() => validateEvent(clientErased(erased, [], tooMany, null, meta))).toThrow(EventError);
  });

  it('LeadErased: the lead record, its cases, the digest of its e-mail, the client when the erasure was his; no personal data', () => {
    const record = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
    const email = 'lead@example.fr';
    const alone = validateEvent(leadErased(record, email, ['case-a'], null, meta, now));
    expect(alone).toMatchObject({ type: 'LeadErased', version: 2, subject: record, correlationId: 'req-1' });
    expect(alone.data).toEqual({
      leadRecordId: record,
      caseIds: ['case-a'],
      partnerKey: partnerMessageKey(email),
      erasedAt: '2026-11-21T09:00:00.000Z',
      reason: 'GDPR_REQUEST',
    });
    expect(JSON.stringify(alone)).not.toContain(email);
    // a lead without cases: its erasure is told all the same
    expect(validateEvent(leadErased(record, email, [], null, meta, now)).data).toMatchObject({ caseIds: [] });
    expect(validateEvent(leadErased(record, email, ['case-b'], client.id, meta, now)).data).toMatchObject({
      clientId: client.id,
      caseIds: ['case-b'],
    });
    const tooMany = Array.from({ length: CASES_PER_EVENT + 1 }, (_, i) => `case-${i}`);
    expect(() => validateEvent(leadErased(record, email, tooMany, null, meta, now))).toThrow(EventError);
  });

  it('ContractIssued: matricule, number, type, status, subscription date and coverages', () => {
    const contract: ContractState = {
      id: '22222222-2222-4222-8222-222222222222',
      clientId: client.id,
      contractNumber: 'CT-2026-ABCDEFGH',
      type: 'AUTO',
      subscribedOn: '2026-01-01',
      expiresOn: null,
      status: 'ACTIVE',
      coverages: ['bris de glace'],
      thirdPartyDeductible: '150.00',
      collisionDeductible: null,
      propertyDamageCover: true,
      thirdPartyCover: null,
      civilLiabilityCover: null,
      createdAt: now,
    };
    const event = validateEvent(contractIssued(contract, 'AB-123-CD', meta));
    expect(event).toMatchObject({ subject: contract.id });
    expect(event.data).toEqual({
      contractId: contract.id,
      clientId: client.id,
      matricule: 'AB-123-CD',
      contractNumber: 'CT-2026-ABCDEFGH',
      type: 'AUTO',
      status: 'ACTIVE',
      subscribedOn: '2026-01-01',
      coverages: ['bris de glace'],
      thirdPartyDeductible: '150.00',
      propertyDamageCover: true,
      issuedAt: '2026-11-21T09:00:00.000Z',
    });
  });

  // v2: keyed by the lead's record, since a Kafka key is never sealed and the e-mail is personal
  it('LeadUpserted: keyed by the lead record, not by the e-mail', () => {
    const record = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
    const event = validateEvent(
      leadUpserted(
        record,
        {
          email: 'a@b.fr',
          phone: null,
          name: 'Ana',
          source: 'AUDIT_IA',
          createdAt: now,
          updatedAt: now,
          phoneAt: null,
          nameAt: now,
        },
        true,
        callerOfEvent(
          'identity.leads',
          { id: 'c'.repeat(64), correlationId: 'corr-1' },
          { kind: 'partner', id: 'WEB_CHAT' },
        ),
        now,
      ),
    );
    expect(event).toMatchObject({ subject: record, version: 2, causationId: 'c'.repeat(64) });
    expect(event.data).toEqual({
      leadRecordId: record,
      email: 'a@b.fr',
      name: 'Ana',
      source: 'AUDIT_IA',
      created: true,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });
  });

  it('ClientPinChanged: the argon2id hash of the code or null, never the code', () => {
    const hash =
      '$argon2id$v=19$m=19456,t=2,p=1$PS2zTslXfYrU5DaWpmFREw$r5hoyPj68PvKvmuRrELszeP5r2L542YsCFN9k1zbeXs';
    const set = validateEvent(clientPinChanged(client.id, hash, now, meta));
    expect(set).toMatchObject({ type: 'ClientPinChanged', subject: client.id });
    expect(set.data).toEqual({ clientId: client.id, pinHash: hash, changedAt: now.toISOString() });
    expect(validateEvent(clientPinChanged(client.id, null, now, meta)).data).toMatchObject({ pinHash: null });
    expect(() => validateEvent(clientPinChanged(client.id, '4709', now, meta))).toThrow(EventError);
  });

  it('the schemas refuse what identity must never publish', () => {
    const bad = clientRegistered(client, meta);
    (bad.data as { matricule: string }).matricule = 'ab123cd';
    expect(() => validateEvent(bad)).toThrow(EventError);
    expect(() => validateEvent(bad)).toThrow(/matricule/);
  });
});
