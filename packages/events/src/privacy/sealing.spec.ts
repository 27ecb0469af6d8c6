import type { EntityManager } from 'typeorm';
import { newEvent, type AnyEvent } from '../envelope';
import {
  DATA_SCHEMAS,
  LATEST_VERSIONS,
  PERSONAL_DATA,
  type ClientRegisteredDataV1,
} from '../generated/schemas.generated';
import { validateEvent } from '../schema/validation';
import { memoryKeys } from './memory-keys.fixture';
import { ERASED_EVENT, openEvent, sealEvent, stripEvent } from './sealing';

const manager = {} as EntityManager;
const CLIENT = '4b0f3c9e-2a8d-4c1e-9f6a-0d2b7e5c8a13';

function registered(over: Partial<ClientRegisteredDataV1> = {}) {
  return newEvent(
    'ClientRegistered',
    {
      clientId: CLIENT,
      matricule: 'AB-123-CD',
      civility: 'Mme',
      lastName: 'Canary-Lastname',
      firstName: 'Canary-Firstname',
      email: 'canary@example.test',
      phone: '+33612345678',
      status: 'ACTIVE',
      registeredAt: '2026-01-02T03:04:05.000Z',
      ...over,
    },
    { source: 'identity', subject: CLIENT, actor: { kind: 'system', id: 'test' } },
  );
}

describe('sealed events', () => {
  it('seals the personal fields present under the subject key, in one part, and the wire form validates', async () => {
    const { eventKeys, writers } = memoryKeys();
    const event = registered();
    const sealed = await sealEvent(event, eventKeys, manager);

    expect(writers).toEqual([CLIENT]);
    expect(sealed.sealed).toEqual({
      subject: CLIENT,
      fields: ['matricule', 'civility', 'lastName', 'firstName', 'email', 'phone'],
      data: expect.stringMatching(/^pd1:/) as unknown,
    });
    const text = JSON.stringify(sealed);
    for (const clear of [
      'AB-123-CD',
      'Canary-Lastname',
      'Canary-Firstname',
      'canary@example.test',
      '+33612345678',
    ])
      expect(text).not.toContain(clear);
    // what is not personal stays readable: ids, status, dates; the personal fields are out
    expect(sealed.data).toEqual({
      clientId: CLIENT,
      status: 'ACTIVE',
      registeredAt: '2026-01-02T03:04:05.000Z',
    });
    expect(() => validateEvent(sealed)).not.toThrow();
    // the producer's event is left as it was
    expect(event.data.lastName).toBe('Canary-Lastname');
  });

  it('opens back to the very event that was sealed', async () => {
    const { eventKeys } = memoryKeys();
    const event = registered({ birthDate: '1980-02-29', address: '1 rue des Lilas' });
    const opened = await openEvent(await sealEvent(event, eventKeys, manager), eventKeys);
    expect(opened).toEqual(event);
  });

  it('seals nested fields and puts them back in place', async () => {
    const { eventKeys } = memoryKeys('conversation');
    const conversationId = '7d3c2b1a-0f9e-4d8c-8b7a-6f5e4d3c2b1a';
    // the data is partial (sealing reads only the paths its schema names)
    const intake = newEvent(
      'IntakeCompleted',
      {
        conversationId,
        matricule: 'AB-123-CD',
        claim: { claimType: 'COLLISION', description: 'Accroché au parking de Canary', place: 'Lyon Canary' },
        transcript: [{ role: 'user', text: 'Canary parle', timestamp: '2026-01-02T03:04:05.000Z' }],
      } as never,
      { source: 'conversation', subject: conversationId, actor: { kind: 'bot', id: conversationId } },
    );
    const sealed = await sealEvent(intake, eventKeys, manager);
    expect(sealed.sealed?.fields).toEqual(['matricule', 'claim.description', 'claim.place', 'transcript']);
    expect(sealed.data).toEqual({ conversationId, claim: { claimType: 'COLLISION' } });
    expect(JSON.stringify(sealed)).not.toContain('Canary');
    expect(await openEvent(sealed, eventKeys)).toEqual(intake);
  });

  it('leaves an event whose personal fields are all absent or null as it is, asking no key', async () => {
    const { eventKeys, writers } = memoryKeys();
    const removed = newEvent(
      'ClientPinChanged',
      { clientId: CLIENT, pinHash: null, changedAt: '2026-01-02T03:04:05.000Z' },
      { source: 'identity', subject: CLIENT, actor: { kind: 'client', id: CLIENT } },
    );
    // found by claims' erasure test: an erased client's claim still moves (a status change with
    // no reason, an activity with no detail) though his claim's key is gone
    expect(await sealEvent(removed, eventKeys, manager)).toBe(removed);
    expect(writers).toEqual([]);
    // absent (birthDate, address...): not listed, not added
    expect((await sealEvent(registered(), eventKeys, manager)).sealed?.fields).not.toContain('birthDate');
  });

  it('seals a whole IntakeCompleted, its null fields with the others, into a form its schema accepts', async () => {
    // found on real processes: a null left beside the sealed part had no place in the wire schema
    const { eventKeys } = memoryKeys('conversation');
    const conversationId = '7d3c2b1a-0f9e-4d8c-8b7a-6f5e4d3c2b1a';
    const intake = newEvent(
      'IntakeCompleted',
      {
        conversationId,
        claimId: '1e2d3c4b-5a69-4788-9a6b-5c4d3e2f1a0b',
        clientId: CLIENT,
        contractId: CLIENT,
        matricule: 'AB-123-CD',
        channel: 'CHAT',
        claim: {
          claimType: 'COLLISION',
          description: 'Accroché au parking',
          occurredOn: '2026-01-02',
          occurredAt: null,
          occurredAtLocal: null,
          place: null,
          thirdPartyInvolved: false,
          thirdPartyResponsible: null,
          injuries: false,
          amicableReport: false,
          policeReport: false,
          policeReportNumber: null,
          documentsProvided: null,
          estimatedDamage: null,
        },
        facts: {
          claimType: 'collision',
          injuries: false,
          thirdPartyInvolved: false,
          thirdPartyResponsible: false,
          amicableReport: false,
          policeReport: false,
          estimatedDamage: 0,
          documentsProvided: false,
          contractStatus: 'actif',
          coverageApplies: true,
          priorClaimsLast12Months: 0,
          daysSinceEvent: 1,
        },
        decision: {
          handling: 'AUTONOMOUS',
          cciScore: 12,
          policyVersion: 'cci-2026.1',
          factors: [],
          triggers: [],
        },
        transcript: [{ role: 'USER', text: 'On m’a accroché', timestamp: '2026-01-02T03:04:05.000Z' }],
        completedAt: '2026-01-02T03:05:00.000Z',
      } as never,
      { source: 'conversation', subject: conversationId, actor: { kind: 'bot', id: conversationId } },
    );
    expect(() => validateEvent(intake)).not.toThrow();
    const sealed = await sealEvent(intake, eventKeys, manager);
    expect(sealed.sealed?.fields).toEqual([
      'matricule',
      'claim.description',
      'claim.place',
      'claim.policeReportNumber',
      'transcript',
    ]);
    expect(() => validateEvent(sealed)).not.toThrow();
    expect(await openEvent(sealed, eventKeys)).toEqual(intake);
  });

  it('gives ERASED_EVENT once the subject key is gone, and strips to the facts that stay', async () => {
    const { eventKeys, keys } = memoryKeys();
    const sealed = await sealEvent(registered(), eventKeys, manager);
    keys.delete(CLIENT);
    expect(await openEvent(sealed, eventKeys)).toBe(ERASED_EVENT);
    const stripped = stripEvent(sealed);
    expect(stripped).not.toHaveProperty('sealed');
    expect(stripped.data).toEqual({
      clientId: CLIENT,
      status: 'ACTIVE',
      registeredAt: '2026-01-02T03:04:05.000Z',
    });
  });

  it('refuses a changed part, one copied from another event, and a personal field left in clear', async () => {
    const { eventKeys } = memoryKeys();
    const sealed = await sealEvent(registered(), eventKeys, manager);
    const other = await sealEvent(registered({ lastName: 'Autre' }), eventKeys, manager);
    const moved = { ...sealed, sealed: other.sealed };
    const changed = {
      ...sealed,
      sealed: { ...sealed.sealed!, data: `${sealed.sealed!.data.slice(0, -2)}AA` },
    };
    const clear = { ...sealed, data: { ...sealed.data, phone: '+33612345678' } } as AnyEvent;
    for (const bad of [moved, changed, clear])
      await expect(openEvent(bad, eventKeys)).rejects.toMatchObject({
        code: 'EVENT.SEALED_INVALID',
        retriable: false,
      });
    // the schema of the wire form already refuses the clear one
    expect(() => validateEvent(clear)).toThrow(/INVALID_SCHEMA/);
  });

  it('refuses a field that the schema does not mark personal in the sealed list', async () => {
    const { eventKeys } = memoryKeys();
    const sealed = await sealEvent(registered(), eventKeys, manager);
    const forged = { ...sealed, sealed: { subject: CLIENT, fields: [...sealed.sealed!.fields, 'status'] } };
    await expect(openEvent(forged as AnyEvent, eventKeys)).rejects.toMatchObject({
      code: 'EVENT.SEALED_INVALID',
    });
  });

  it('leaves an event without personal fields as it is, and opens an unsealed one as it is', async () => {
    const { eventKeys, writers } = memoryKeys();
    const erased = newEvent(
      'ClientErased',
      { clientId: CLIENT, contractIds: [], erasedAt: '2026-01-02T03:04:05.000Z', reason: 'GDPR_REQUEST' },
      { source: 'identity', subject: CLIENT, actor: { kind: 'system', id: 'dpo' } },
    );
    expect(await sealEvent(erased, eventKeys, manager)).toBe(erased);
    expect(writers).toEqual([]);
    const clear = registered();
    expect(await openEvent(clear, eventKeys)).toBe(clear);
  });
});

describe('x-personal annotations', () => {
  // Deny by default: a field that names a person in any event schema is declared personal (and so
  // sealed on the wire), or listed here with the reason it is still in clear.
  const PERSON_FIELD =
    /^(matricule|civility|lastName|firstName|name|birthDate|email|phone|address|postalCode|city|pinHash|leadId)$/;
  const NOT_YET_SEALED: Record<string, string[]> = {
    // versions no producer builds any more (the latest is sealed): history only
    'LeadUpserted.v1': ['email', 'phone', 'name'],
    'IntakeCompleted.v1': ['matricule'],
    'EscalationQueued.v2': ['leadId'],
    // the partners' own format and topic (their message as they send it)
    'APPOINTMENT_BOOKED.v1': ['email', 'phone', 'name'],
    'CALL_REQUESTED.v1': ['email', 'phone', 'name'],
    'AUDIT_COMPLETED.v1': ['email', 'phone', 'name'],
    'CHAT_SUMMARIZED.v1': ['email', 'phone', 'name'],
    // a staff member's display name, not a policyholder's
    'AdvisorRegistered.v1': ['name'],
  };

  function personFields(schema: Record<string, unknown>, prefix = ''): string[] {
    const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
    return Object.entries(properties).flatMap(([name, sub]) => [
      ...(PERSON_FIELD.test(name) ? [`${prefix}${name}`] : []),
      ...personFields(sub, `${prefix}${name}.`),
    ]);
  }

  it('every field naming a person is sealed, or listed with its reason', () => {
    const unsealed = DATA_SCHEMAS.flatMap((entry) => {
      const key = `${entry.type}.v${entry.version}`;
      const sealed = PERSONAL_DATA[key]?.fields ?? [];
      const allowed = NOT_YET_SEALED[key] ?? [];
      return personFields(entry.schema)
        .filter((path) => !sealed.includes(path) && !allowed.includes(path))
        .map((path) => `${key} ${path}`);
    });
    expect(unsealed).toEqual([]);
    // and the list holds no stale entry: each names a clear field of an existing schema
    const stale = Object.entries(NOT_YET_SEALED).flatMap(([key, paths]) => {
      const entry = DATA_SCHEMAS.find((e) => `${e.type}.v${e.version}` === key);
      const present = entry ? personFields(entry.schema) : [];
      return paths
        .filter((p) => !present.includes(p) || PERSONAL_DATA[key]?.fields.includes(p))
        .map((p) => `${key} ${p}`);
    });
    expect(stale).toEqual([]);
    // history only: a newer version is what producers build, and it is sealed
    for (const key of ['LeadUpserted.v1', 'IntakeCompleted.v1', 'EscalationQueued.v2']) {
      const [type, version] = key.split('.v') as [keyof typeof LATEST_VERSIONS, string];
      expect(LATEST_VERSIONS[type]).toBeGreaterThan(Number(version));
      expect(PERSONAL_DATA[`${type}.v${LATEST_VERSIONS[type]}`]).toBeDefined();
    }
  });

  it('the identity events carry the client record sealed under the client key', () => {
    expect(PERSONAL_DATA['ClientRegistered.v1']).toEqual({
      subject: ['clientId'],
      fields: [
        'matricule',
        'civility',
        'lastName',
        'firstName',
        'birthDate',
        'email',
        'phone',
        'address',
        'postalCode',
        'city',
      ],
    });
    expect(PERSONAL_DATA['ClientUpdated.v1']?.fields).toEqual(PERSONAL_DATA['ClientRegistered.v1']?.fields);
    expect(PERSONAL_DATA['ContractIssued.v1']).toEqual({ subject: ['clientId'], fields: ['matricule'] });
    expect(PERSONAL_DATA['ClientPinChanged.v1']).toEqual({ subject: ['clientId'], fields: ['pinHash'] });
  });
});
