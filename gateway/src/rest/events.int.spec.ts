// POST /api/v1/events through real processes: the gateway hands a partner's message to claims
// (its ingestPartnerMessage, as the partner), which journals it as if the partner had published
// it on the partner inbound topic: one case for the lead, the same idempotent id however many
// times it is sent, and nothing of it in Kafka, where it would sit in clear (docs/privacy.md).
// Every answer is validated against the OpenAPI document.
import { createHash, createHmac } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020';
import { issueUserToken } from '@crm/auth';
import {
  graphqlClient,
  namespaceRecords,
  randomSuffix,
  startGatewayProcess,
  startSystem,
  type RunningProcess,
  type RunningSystem,
} from '@crm/testing';

const SECRET = `hmac-${randomSuffix(16)}`;
const API_KEY = `key-${randomSuffix(8)}`;

/** "YYYY-MM-DD HH:mm:ss" in Paris, with no offset: how a partner's system often writes a time. */
function parisWallClock(at: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Paris',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

describe('POST /api/v1/events (issue 17, seed 2 over HTTP)', () => {
  let system: RunningSystem;
  let gateway: RunningProcess;
  let ajv: Ajv2020;

  beforeAll(async () => {
    system = await startSystem('rest-events');
    const subgraphs = Object.fromEntries(
      Object.entries(system.subgraphUrls).map(([name, url]) => [
        name,
        { baseUrl: url.replace(/\/graphql$/, '') } as RunningProcess,
      ]),
    );
    gateway = await startGatewayProcess({
      name: 'gateway-events',
      subgraphs,
      internalPrivateKey: system.internalKeys.privateKey,
      jwtSecret: system.userTokens.secret,
      env: {
        PARTNER_CREDENTIALS: JSON.stringify({
          CLICK_TO_CALL: { api_key_sha256: createHash('sha256').update(API_KEY).digest('hex') },
          WEB_CHAT: { hmac_secret: SECRET },
        }),
      },
    });
    const document = (await (await fetch(`${gateway.baseUrl}/api/v1/openapi.json`)).json()) as object;
    ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ ...document, $id: 'https://crm.test/openapi.json' });
  }, 240_000);

  afterAll(async () => {
    await gateway?.stop();
    await system?.stop();
  });

  async function post(body: string, headers: Record<string, string>) {
    const res = await fetch(`${gateway.baseUrl}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const json = (await res.json()) as Record<string, unknown>;
    const schema = res.status === 202 ? 'EvenementAccepte' : 'Probleme';
    const validate = ajv.getSchema(`https://crm.test/openapi.json#/components/schemas/${schema}`)!;
    expect({ status: res.status, valid: validate(json), errors: validate.errors }).toMatchObject({
      status: res.status,
      valid: true,
    });
    return { status: res.status, body: json };
  }

  const callRequest = (email: string, sourceId: string, source = 'CLICK_TO_CALL') => ({
    type: 'CALL_REQUESTED',
    timestamp: new Date(Date.now() - 60_000).toISOString(),
    source,
    source_id: sourceId,
    email,
    phone: '06 45 78 90 12',
    name: 'sophie LAMBERT',
    intent: 'HABITATION',
    site_id: 'site-assureur',
    payload: { reason: 'case_complexity', visa_type: 'HABITATION', user_stage: 'devis', notes: 'Rappel' },
  });

  it('accepts a partner’s message with its API key (202, idempotent id) and claims ingests it once', async () => {
    const email = `Sophie.Lambert.${randomSuffix(3)}@Exemple.fr`;
    const message = JSON.stringify(callRequest(` ${email} `, `call-${randomSuffix()}`));
    const first = await post(message, { 'x-api-key': API_KEY });
    expect(first.status).toBe(202);
    expect(first.body.id).toMatch(/^[0-9a-f]{64}$/);
    const again = await post(message, { 'x-api-key': API_KEY });
    expect(again.body.id).toBe(first.body.id);

    const staff = graphqlClient(
      system.url,
      await issueUserToken({ sub: `adv-${randomSuffix()}`, roles: ['advisor'] }, system.userTokens),
    );
    // journaled when it answered: the case is there at once
    const { casesByLead: cases } = await staff<{
      casesByLead: { id: string; events: { totalCount: number } }[];
    }>('query($email: String!) { casesByLead(email: $email) { id events { totalCount } } }', {
      email: email.toLowerCase(),
    });
    expect(cases).toHaveLength(1);
    expect(cases[0]!.events.totalCount).toBe(1);
    // journaled before the answer, never through Kafka: no record of any topic names the lead
    const records = await namespaceRecords(system.namespace);
    expect(records.length).toBeGreaterThan(0);
    const naming = records.filter((r) => `${r.key} ${r.value}`.toLowerCase().includes(email.toLowerCase()));
    expect(naming.map((r) => r.topic)).toEqual([]);
  }, 60_000);

  it('accepts a message as a partner’s system writes it: its type in lower case, a Paris time without offset', async () => {
    const email = `marc.petit.${randomSuffix(3)}@exemple.fr`;
    // a minute ago, as a Paris wall clock without offset ("2026-12-08 04:30:00"): the journal
    // must hold that instant (the offsets themselves are pinned in validation.spec.ts)
    const at = new Date(Math.floor((Date.now() - 60_000) / 1000) * 1000);
    const message = {
      ...callRequest(email, `call-${randomSuffix()}`),
      type: 'call_requested',
      timestamp: parisWallClock(at),
    };
    const sent = await post(JSON.stringify(message), { 'x-api-key': API_KEY });
    expect(sent.status).toBe(202);
    expect(sent.body.type).toBe('CALL_REQUESTED');
    const staff = graphqlClient(
      system.url,
      await issueUserToken({ sub: `adv-${randomSuffix()}`, roles: ['advisor'] }, system.userTokens),
    );
    const { casesByLead: cases } = await staff<{
      casesByLead: { events: { edges: { node: { type: string; timestamp: string } }[] } }[];
    }>(
      'query($email: String!) { casesByLead(email: $email) { events { edges { node { type timestamp } } } } }',
      {
        email,
      },
    );
    expect(cases.flatMap((c) => c.events.edges.map((e) => e.node))).toEqual([
      { type: 'CALL_REQUESTED', timestamp: at.toISOString() },
    ]);
  }, 60_000);

  it('accepts an HMAC signature of the exact body, and refuses a wrong key, signature or source (401)', async () => {
    const body = JSON.stringify(
      callRequest(`chat.${randomSuffix(3)}@exemple.fr`, `chat-${randomSuffix()}`, 'WEB_CHAT'),
    );
    const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    expect((await post(body, { 'x-signature': signature })).status).toBe(202);
    const wrong = await post(`${body}\n`, { 'x-signature': signature });
    expect({ status: wrong.status, code: wrong.body.code }).toEqual({
      status: 401,
      code: 'EVENT.UNAUTHENTICATED',
    });
    // the CLICK_TO_CALL key does not authenticate a WEB_CHAT message
    expect((await post(body, { 'x-api-key': API_KEY })).status).toBe(401);
    expect((await post(body, {})).status).toBe(401);
  });

  it('refuses a message its consumers would refuse (422, their code), and a body that is not JSON (400)', async () => {
    const noEmail = JSON.stringify({ ...callRequest('not-an-address', `x-${randomSuffix()}`) });
    const r = await post(noEmail, { 'x-api-key': API_KEY });
    expect({ status: r.status, code: r.body.code }).toEqual({ status: 422, code: 'EVENT.NO_IDENTITY' });
    const { payload: _p, ...withoutPayload } = callRequest('a@b.fr', `x-${randomSuffix()}`);
    const shape = await post(JSON.stringify(withoutPayload), { 'x-api-key': API_KEY });
    expect({ status: shape.status, code: shape.body.code }).toEqual({
      status: 422,
      code: 'EVENT.INVALID_SCHEMA',
    });
    const notJson = await post('{', { 'x-api-key': API_KEY });
    expect(notJson.status).toBe(400);
  });
});
