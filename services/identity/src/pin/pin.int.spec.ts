// The personal code over real HTTP against a real PostgreSQL: a client sets, changes and removes
// his own code, staff may too, nobody else; only an argon2id hash is kept and published
// (ClientPinChanged, for the bot's directory), the code is never stored, returned nor echoed.
import { randomUUID } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import type { Principal } from '@crm/auth';
import { perFile, withoutRandomTokens } from '@crm/testing';
import { graphql } from '../../test/generated';
import { ERASE_CLIENT, nextMatricule, REGISTER_CLIENT, startIdentity, SUPERVISOR } from '../../test/harness';

const SET_PIN = graphql(`
  mutation SetClientPin($input: SetClientPinInput!) {
    setClientPin(input: $input) {
      id
      hasPin
    }
  }
`);

const HAS_PIN = graphql(`
  query ClientHasPin($id: ID!) {
    client(id: $id) {
      id
      hasPin
    }
  }
`);

const h = perFile(() => startIdentity('pins'));

async function register(birthDate?: string): Promise<{ id: string; me: Principal }> {
  const res = await h.gql(REGISTER_CLIENT, {
    input: { matricule: nextMatricule(), lastName: 'Durand', firstName: 'Sophie', birthDate },
  });
  expect(res.errors).toBeUndefined();
  const id = res.data!.registerClient.id;
  return { id, me: { sub: id, roles: ['client'] } };
}

const pinEvents = async (clientId: string) =>
  (await h.outbox('ClientPinChanged')).filter((e) => e.subject === clientId);
const storedHash = async (clientId: string) =>
  (await h.sql<{ pin_hash: string }>(`SELECT pin_hash FROM client_pins WHERE client_id = $1`, [clientId]))[0]
    ?.pin_hash;

describe('setClientPin', () => {
  it('lets a client set his own code, kept and published only as an argon2id hash', async () => {
    const { id, me } = await register();
    const res = await h.gql(SET_PIN, { input: { clientId: id, pin: ' 47 09 ' } }, me);
    expect(res.errors).toBeUndefined();
    expect(res.data!.setClientPin).toEqual({ id, hasPin: true });

    const hash = await storedHash(id);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verify(hash!, '4709')).toBe(true);
    const [event] = await pinEvents(id);
    expect(event).toMatchObject({
      type: 'ClientPinChanged',
      subject: id,
      data: { clientId: id, pinHash: hash },
    });
    // the code itself is nowhere: not in the outbox, not in the database
    const outbox = await h.sql<{ payload: unknown }>(`SELECT payload FROM event_outbox`);
    expect(withoutRandomTokens(outbox)).toContain('ClientPinChanged');
    expect(withoutRandomTokens(outbox)).not.toContain('4709');
    // nor its hash, which travels sealed under the client's key (docs/privacy.md, Events)
    expect(JSON.stringify(outbox)).not.toContain(hash!.split('$').at(-1));
    expect(withoutRandomTokens(await h.sql(`SELECT * FROM client_pins`))).not.toContain('4709');
    expect((await h.gql(HAS_PIN, { id }, me)).data!.client).toEqual({ id, hasPin: true });
  });

  it('changes the code (a new hash, a new event) and removes it with null, once', async () => {
    const { id, me } = await register();
    await h.gql(SET_PIN, { input: { clientId: id, pin: '4709' } }, me);
    const first = await storedHash(id);
    await h.gql(SET_PIN, { input: { clientId: id, pin: '19735' } }, me);
    const second = await storedHash(id);
    expect(second).not.toBe(first);
    expect(await verify(second!, '19735')).toBe(true);

    const removed = await h.gql(SET_PIN, { input: { clientId: id, pin: null } }, me);
    expect(removed.data!.setClientPin).toEqual({ id, hasPin: false });
    expect(await storedHash(id)).toBeUndefined();
    const again = await h.gql(SET_PIN, { input: { clientId: id, pin: null } }, me);
    expect(again.errors).toBeUndefined();
    expect((await pinEvents(id)).map((e) => (e.data as { pinHash: string | null }).pinHash)).toEqual([
      first,
      second,
      null,
    ]);
  });

  it('lets staff set or remove a client’s code, and refuses every other caller', async () => {
    const { id } = await register();
    const other = await register();
    const byAdvisor = await h.gql(SET_PIN, { input: { clientId: id, pin: '4709' } });
    expect(byAdvisor.data!.setClientPin.hasPin).toBe(true);
    const refused: Principal[] = [
      other.me,
      { sub: randomUUID(), roles: ['conversation'] },
      { sub: 'partner-1', roles: ['partner'] },
    ];
    for (const principal of refused) {
      const res = await h.gql(SET_PIN, { input: { clientId: id, pin: null } }, principal);
      expect(res.errors![0]!.extensions.code).toBe('AUTH.FORBIDDEN');
    }
    expect(await storedHash(id)).toBeDefined();
    // a client reads whether he has a code, never another client's
    expect((await h.gql(HAS_PIN, { id }, other.me)).errors![0]!.extensions.code).toBe('AUTH.FORBIDDEN');
  });

  it('refuses a malformed or guessable code without ever echoing it', async () => {
    const { id, me } = await register('1985-03-15');
    for (const pin of ['123', '1234567', '12ab', '1234', '0000', '1503', '1985']) {
      const res = await h.gql(SET_PIN, { input: { clientId: id, pin } }, me);
      expect(res.errors![0]!.extensions.code).toBe('VALIDATION.FAILED');
      expect(res.errors![0]!.extensions.details!.problems!.map((p) => p.field)).toEqual(['pin']);
      expect(JSON.stringify(res.errors)).not.toContain(pin);
    }
    const absent = await h.gql(SET_PIN, { input: { clientId: id } }, me);
    expect(absent.errors![0]!.extensions.code).toBe('VALIDATION.FAILED');
    expect(await storedHash(id)).toBeUndefined();
    expect(await pinEvents(id)).toEqual([]);
  });

  it('answers CLIENT.NOT_FOUND and CLIENT.ERASED, and erasure deletes the code', async () => {
    const missing = await h.gql(SET_PIN, { input: { clientId: randomUUID(), pin: '4709' } });
    expect(missing.errors![0]!.extensions.code).toBe('CLIENT.NOT_FOUND');
    const { id, me } = await register();
    await h.gql(SET_PIN, { input: { clientId: id, pin: '4709' } }, me);
    const erased = await h.gql(ERASE_CLIENT, { id }, SUPERVISOR);
    expect(erased.errors).toBeUndefined();
    expect(await storedHash(id)).toBeUndefined();
    const after = await h.gql(SET_PIN, { input: { clientId: id, pin: '4709' } });
    expect(after.errors![0]!.extensions.code).toBe('CLIENT.ERASED');
  });
});
