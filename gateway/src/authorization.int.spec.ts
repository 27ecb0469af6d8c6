// Deny by default through the real gateway and the five subgraphs as processes (PostgreSQL,
// Kafka): a policyholder reaches his own file and nothing else, whatever path he takes through
// the graph; partners reach no personal data; mutations are for the roles their policy names.
// OWASP API Security Top 10 (2023): API1 object level, API2 authentication between the gateway
// and the subgraphs, API3 property level, API5 function level.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isNonNullType,
  isListType,
  isScalarType,
  type GraphQLInputType,
} from 'graphql';
import {
  INTERNAL_TOKEN_HEADER,
  InternalTokenSigner,
  issueConversationToken,
  issueUserToken,
  requestDigest,
  type Principal,
} from '@crm/auth';
import {
  graphqlClient,
  hoursAgo,
  type GraphQLCall,
  type RunningSystem,
  startSystem,
  waitFor,
} from '@crm/testing';

const letters = () =>
  String.fromCharCode(65 + Math.floor(Math.random() * 26), 65 + Math.floor(Math.random() * 26));

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

describe('who may see and do what, through the gateway (OWASP API1, API2, API3, API5)', () => {
  let system: RunningSystem;
  let url: string;
  let staff: GraphQLCall;
  const file: { clientA: string; clientB: string; claimA: string; claimB: string } = {
    clientA: '',
    clientB: '',
    claimA: '',
    claimB: '',
  };

  /** the raw answer (errors included) for a token with these roles */
  async function as(principal: Principal, query: string, variables: Record<string, unknown> = {}) {
    return withToken(await issueUserToken(principal, system.userTokens), query, variables);
  }
  async function withToken(token: string, query: string, variables: Record<string, unknown> = {}) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Answer;
  }
  const codes = (a: Answer) => (a.errors ?? []).map((e) => e.extensions?.code);
  const clientA = (): Principal => ({ sub: file.clientA, roles: ['client'] });

  async function declare(clientId: string): Promise<string> {
    const { issueContract } = await staff<{ issueContract: { id: string } }>(
      `mutation($input: IssueContractInput!) { issueContract(input: $input) { id } }`,
      { input: { clientId, type: 'AUTO', status: 'ACTIVE', coverages: ['tiers'] } },
    );
    const { openClaim } = await staff<{ openClaim: { id: string } }>(
      `mutation($input: OpenClaimInput!) { openClaim(input: $input) { id } }`,
      {
        input: {
          clientId,
          contractId: issueContract.id,
          occurredAt: hoursAgo(3),
          type: 'COLLISION',
          description: "On m'a percuté par l'arrière au feu rouge",
          location: 'Lyon',
          thirdPartyInvolved: true,
          amicableReport: true,
        },
      },
    );
    return openClaim.id;
  }

  async function register(lastName: string): Promise<string> {
    const { registerClient } = await staff<{ registerClient: { id: string } }>(
      `mutation($input: RegisterClientInput!) { registerClient(input: $input) { id } }`,
      {
        input: {
          matricule: `${letters()}-${String(100 + Math.floor(Math.random() * 900))}-${letters()}`,
          lastName,
          firstName: 'Test',
          birthDate: '1980-05-04',
          phone: '06 12 34 56 78',
        },
      },
    );
    return registerClient.id;
  }

  beforeAll(async () => {
    system = await startSystem('authz');
    url = system.url;
    staff = graphqlClient(
      url,
      await issueUserToken({ sub: 'adv-authz', roles: ['advisor'] }, system.userTokens),
    );
    file.clientA = await register('Alpha');
    file.clientB = await register('Bravo');
    file.claimA = await declare(file.clientA);
    file.claimB = await declare(file.clientB);
  }, 180_000);

  afterAll(() => system?.stop());

  describe('API1 broken object level authorization', () => {
    it('a policyholder reads his own record, contracts and claims', async () => {
      const own = await as(
        clientA(),
        `query($id: ID!) { client(id: $id) { id lastName contracts { id } claims { edges { node { id status } } } } }`,
        { id: file.clientA },
      );
      expect(own.errors).toBeUndefined();
      const client = own.data!.client as { id: string; contracts: unknown[]; claims: { edges: unknown[] } };
      expect(client.id).toBe(file.clientA);
      expect(client.contracts).toHaveLength(1);
      expect(client.claims.edges).toHaveLength(1);
      const claim = await as(clientA(), `query($id: ID!) { claim(id: $id) { id description } }`, {
        id: file.claimA,
      });
      expect(claim.errors).toBeUndefined();
      expect((claim.data!.claim as { id: string }).id).toBe(file.claimA);
    });

    it("refuses another policyholder's record and claim, by id and by entity", async () => {
      const other = await as(clientA(), `query($id: ID!) { client(id: $id) { id lastName } }`, {
        id: file.clientB,
      });
      expect(other.data?.client ?? null).toBeNull();
      expect(codes(other)).toContain('AUTH.FORBIDDEN');
      const claim = await as(clientA(), `query($id: ID!) { claim(id: $id) { id description } }`, {
        id: file.claimB,
      });
      expect(claim.data?.claim ?? null).toBeNull();
      expect(codes(claim)).toContain('AUTH.FORBIDDEN');
      // through the claim entity into identity: the other client's record stays closed
      const viaEntity = await as(clientA(), `query($id: ID!) { claim(id: $id) { client { lastName } } }`, {
        id: file.claimB,
      });
      expect(JSON.stringify(viaEntity.data ?? {})).not.toContain('Bravo');
      expect(codes(viaEntity)).toContain('AUTH.FORBIDDEN');
    });

    it('refuses lists of everyone to a policyholder and everything to a partner', async () => {
      expect(codes(await as(clientA(), `{ clients(first: 10) { edges { node { id } } } }`))).toEqual([
        'AUTH.FORBIDDEN',
      ]);
      expect(codes(await as(clientA(), `{ claims(first: 10) { edges { node { id } } } }`))).toEqual([
        'AUTH.FORBIDDEN',
      ]);
      const partner: Principal = { sub: 'partner-1', roles: ['partner'] };
      const read = await as(partner, `query($id: ID!) { claim(id: $id) { id description } }`, {
        id: file.claimA,
      });
      expect(read.data?.claim ?? null).toBeNull();
      expect(codes(read)).toEqual(['AUTH.FORBIDDEN']);
      expect(
        codes(await as(partner, `query($id: ID!) { client(id: $id) { id } }`, { id: file.clientA })),
      ).toEqual(['AUTH.FORBIDDEN']);
    });
  });

  describe('API3 broken object property level authorization', () => {
    it("shows a policyholder his claim's facts but not how the insurer works it", async () => {
      for (const field of [
        'triggers { code }',
        'statusHistory { to }',
        'case { id }',
        'recommendedActions { id }',
      ]) {
        const r = await as(clientA(), `query($id: ID!) { claim(id: $id) { id ${field} } }`, {
          id: file.claimA,
        });
        expect({ field, codes: codes(r) }).toEqual({ field, codes: ['AUTH.FORBIDDEN'] });
      }
    });
  });

  describe("API1 again: a policyholder's reimbursements, his own only", () => {
    it('reads the reimbursement of his claim by id, by claim and through the claim; not another client’s', async () => {
      const create = (claimId: string) =>
        staff<{ createReimbursement: { id: string } }>(
          `mutation($input: CreateReimbursementInput!) { createReimbursement(input: $input) { id } }`,
          { input: { claimId, amountClaimed: '1200.00' } },
        );
      const mine = (await create(file.claimA)).createReimbursement.id;
      const theirs = (await create(file.claimB)).createReimbursement.id;
      // whose claim it is reaches the reimbursement service as an event (ClaimOpened)
      const byClaim = await waitFor('client A reads the reimbursements of his claim', async () => {
        const r = await as(
          clientA(),
          `query($id: ID!) { claim(id: $id) { reimbursements { id amountClaimed } } }`,
          {
            id: file.claimA,
          },
        );
        return r.errors ? undefined : r;
      });
      expect(byClaim.data!.claim).toEqual({ reimbursements: [{ id: mine, amountClaimed: '1200.00' }] });
      const byId = await as(clientA(), `query($id: ID!) { reimbursement(id: $id) { id status } }`, {
        id: mine,
      });
      expect(byId.errors).toBeUndefined();
      expect(byId.data!.reimbursement).toMatchObject({ id: mine });

      // client B's claim is known too (his reimbursement is readable by him) yet refused to A
      await waitFor('client B reads his own', async () => {
        const r = await as(
          { sub: file.clientB, roles: ['client'] },
          `query($id: ID!) { reimbursement(id: $id) { id } }`,
          {
            id: theirs,
          },
        );
        return r.errors ? undefined : r;
      });
      for (const [query, variables] of [
        [`query($id: ID!) { reimbursement(id: $id) { id amountClaimed } }`, { id: theirs }],
        [`query($id: ID!) { reimbursementsByClaim(claimId: $id) { id amountClaimed } }`, { id: file.claimB }],
        [`query($id: ID!) { claim(id: $id) { reimbursements { id } } }`, { id: file.claimB }],
      ] as const) {
        const r = await as(clientA(), query, variables);
        expect({ query, codes: [...new Set(codes(r))] }).toEqual({ query, codes: ['AUTH.FORBIDDEN'] });
        expect(JSON.stringify(r.data ?? null)).not.toContain('1200.00');
      }
    });
  });

  describe('API5 broken function level authorization', () => {
    it('keeps every change of the back office from a policyholder', async () => {
      const mutations: [string, Record<string, unknown>][] = [
        [`mutation($id: ID!) { eraseClient(id: $id) { id } }`, { id: file.clientB }],
        [
          `mutation($input: ChangeClaimStatusInput!) { changeClaimStatus(input: $input) { id } }`,
          { input: { id: file.claimA, status: 'CLOSED', reason: 'moi-même' } },
        ],
        [
          `mutation($input: CreateReimbursementInput!) { createReimbursement(input: $input) { id } }`,
          { input: { claimId: file.claimA, amountClaimed: '99999.00' } },
        ],
        [
          `mutation($input: RegisterAdvisorInput!) { registerAdvisor(input: $input) { id } }`,
          { input: { name: 'Intrus' } },
        ],
      ];
      for (const [query, variables] of mutations) {
        const r = await as(clientA(), query, variables);
        expect({ query, codes: codes(r) }).toEqual({ query, codes: ['AUTH.FORBIDDEN'] });
      }
    });

    it('refuses every mutation of the graph to each role its policy does not name', async () => {
      // the graph the gateway serves; a new mutation is covered without touching this test
      const supergraph = buildSchema(
        readFileSync(join(__dirname, '..', '..', 'schemas', 'supergraph.graphql'), 'utf8'),
      );
      const mutations = Object.values(supergraph.getMutationType()!.getFields());
      expect(mutations.length).toBeGreaterThan(15);
      // a value of the type, enough to pass validation: the policy refuses before any resolver
      const sample = (type: GraphQLInputType): unknown => {
        if (isNonNullType(type)) return sample(type.ofType);
        if (isListType(type)) return [sample(type.ofType)];
        if (isEnumType(type)) return type.getValues()[0]!.value;
        if (isInputObjectType(type)) {
          return Object.fromEntries(
            Object.values(type.getFields())
              .filter((f) => isNonNullType(f.type))
              .map((f) => [f.name, sample(f.type)]),
          );
        }
        const scalars: Record<string, unknown> = {
          ID: randomUUID(),
          Int: 1,
          Float: 1,
          Boolean: true,
          Date: '1990-01-01',
          DateTime: hoursAgo(1),
          Decimal: '1.00',
          JSON: {},
        };
        return isScalarType(type) && type.name in scalars ? scalars[type.name] : 'x';
      };
      const call = (field: (typeof mutations)[number]) => {
        const args = field.args.filter((a) => isNonNullType(a.type));
        const declared = args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
        const passed = args.map((a) => `${a.name}: $${a.name}`).join(', ');
        const selection =
          isScalarType(getNamedType(field.type)) || isEnumType(getNamedType(field.type))
            ? ''
            : ' { __typename }';
        return {
          query: `mutation${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selection} }`,
          variables: Object.fromEntries(args.map((a) => [a.name, sample(a.type)])),
        };
      };
      // what each caller may do; everything else must be refused
      const allowed: Record<string, { principal: Principal; may: string[] }> = {
        // a partner sends its own messages (the gateway's POST /api/v1/events), nothing else
        partner: { principal: { sub: randomUUID(), roles: ['partner'] }, may: ['ingestPartnerMessage'] },
        // setTyping: in his own conversation only (the service refuses another's)
        policyholder: {
          principal: clientA(),
          may: ['startConversation', 'sendMessage', 'sendVoiceMessage', 'setTyping'],
        },
        advisor: {
          principal: { sub: randomUUID(), roles: ['advisor'] },
          may: mutations
            .map((m) => m.name)
            .filter(
              (n) => !['eraseClient', 'eraseLead', 'registerAdvisor', 'ingestPartnerMessage'].includes(n),
            ),
        },
        'chat visitor': {
          principal: { sub: randomUUID(), roles: ['conversation'] },
          may: ['sendMessage', 'sendVoiceMessage'],
        },
      };
      const refusedTo: Record<string, string[]> = {};
      for (const [who, { principal, may }] of Object.entries(allowed)) {
        const token =
          who === 'chat visitor'
            ? await issueConversationToken(
                new InternalTokenSigner(system.internalKeys.privateKey),
                principal.sub,
              )
            : await issueUserToken(principal, system.userTokens);
        for (const field of mutations.filter((m) => !may.includes(m.name))) {
          const { query, variables } = call(field);
          const r = await withToken(token, query, variables);
          expect({ who, mutation: field.name, codes: codes(r) }).toEqual({
            who,
            mutation: field.name,
            codes: ['AUTH.FORBIDDEN'],
          });
          (refusedTo[who] ??= []).push(field.name);
        }
      }
      expect(refusedTo.partner).toHaveLength(mutations.length - 1);
      expect(refusedTo.advisor!.sort()).toEqual([
        'eraseClient',
        'eraseLead',
        'ingestPartnerMessage',
        'registerAdvisor',
      ]);
    });

    it('keeps erasure for supervisors: an advisor is refused, a supervisor erases', async () => {
      const doomed = await register('Charlie');
      const byAdvisor = await as(
        { sub: 'adv-2', roles: ['advisor'] },
        `mutation($id: ID!) { eraseClient(id: $id) { id } }`,
        {
          id: doomed,
        },
      );
      expect(codes(byAdvisor)).toEqual(['AUTH.FORBIDDEN']);
      const bySupervisor = await as(
        { sub: randomUUID(), roles: ['supervisor'] },
        `mutation($id: ID!) { eraseClient(id: $id) { id status } }`,
        { id: doomed },
      );
      expect(bySupervisor.errors).toBeUndefined();
      expect(bySupervisor.data!.eraseClient).toEqual({ id: doomed, status: 'ERASED' });
    });
  });

  describe("API1 again: a chat widget's visitor reaches his one conversation and nothing else", () => {
    interface Session {
      conversationId: string;
      token: string;
      expiresAt: string;
      turn: { reply: string; phase: string };
    }
    const open = async (body: unknown = {}) => {
      const res = await fetch(url.replace(/\/graphql$/, '/chat/sessions'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Session & Answer };
    };
    const send = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { reply conversation { id } } }`;

    it('opens a conversation without an account: the greeting and a token for it', async () => {
      const { status, body } = await open({ channel: 'web' });
      expect(status).toBe(201);
      expect(body.turn.reply).toMatch(/matricule/i);
      expect(body.token.split('.')).toHaveLength(3);
      const ownTurn = await withToken(body.token, send, {
        input: { conversationId: body.conversationId, text: 'bonjour' },
      });
      expect(ownTurn.errors).toBeUndefined();
      expect(ownTurn.data!.sendMessage).toMatchObject({ conversation: { id: body.conversationId } });
      const own = await withToken(body.token, `query($id: ID!) { conversation(id: $id) { id channel } }`, {
        id: body.conversationId,
      });
      expect(own.data!.conversation).toEqual({ id: body.conversationId, channel: 'WEB' });
    });

    it("refuses another visitor's conversation, any client's data and every back-office operation", async () => {
      const mine = (await open()).body;
      const theirs = (await open()).body;
      const intoTheirs = await withToken(mine.token, send, {
        input: { conversationId: theirs.conversationId, text: 'AB-123-CD' },
      });
      expect(codes(intoTheirs)).toEqual(['AUTH.FORBIDDEN']);
      const readTheirs = await withToken(
        mine.token,
        `query($id: ID!) { conversation(id: $id) { id context } }`,
        {
          id: theirs.conversationId,
        },
      );
      expect(codes(readTheirs)).toEqual(['AUTH.FORBIDDEN']);
      for (const [query, variables] of [
        ['{ clients(first: 5) { edges { node { id matricule } } } }', {}],
        ['query($id: ID!) { client(id: $id) { id birthDate } }', { id: file.clientA }],
        ['query($id: ID!) { claim(id: $id) { id description } }', { id: file.claimA }],
        ['mutation { startConversation { reply } }', {}],
        [
          `mutation($input: ChangeClaimStatusInput!) { changeClaimStatus(input: $input) { id } }`,
          { input: { id: file.claimA, status: 'CLOSED', reason: 'moi-même' } },
        ],
      ] as const) {
        const r = await withToken(mine.token, query, variables);
        expect({ query, codes: codes(r) }).toEqual({ query, codes: ['AUTH.FORBIDDEN'] });
      }
    });

    it('refuses an expired conversation token and a channel it does not know', async () => {
      const session = (await open()).body;
      const signer = new InternalTokenSigner(system.internalKeys.privateKey);
      const expired = await issueConversationToken(
        signer,
        session.conversationId,
        60,
        Math.floor(Date.now() / 1000) - 3600,
      );
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${expired}` },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(res.status).toBe(401);
      expect(codes((await res.json()) as Answer)).toEqual(['AUTH.EXPIRED_TOKEN']);
      const bad = await open({ channel: 'fax' });
      expect(bad.status).toBe(400);
      expect(codes(bad.body)).toEqual(['VALIDATION.FAILED']);
    });
  });

  describe("API2 broken authentication: the bot's brute-force ceiling per address, through the gateway", () => {
    /** a chat visitor from `address` who gives `matricule`: the bot's answer */
    async function guess(address: string, matricule: string): Promise<string> {
      const opened = await fetch(url.replace(/\/graphql$/, '/chat/sessions'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
        body: '{}',
      });
      const session = (await opened.json()) as { conversationId: string; token: string };
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${session.token}`,
          'x-forwarded-for': address,
        },
        body: JSON.stringify({
          query: `mutation($input: SendMessageInput!) { sendMessage(input: $input) { reply } }`,
          variables: { input: { conversationId: session.conversationId, text: matricule } },
        }),
      });
      const answer = (await res.json()) as Answer;
      expect(answer.errors).toBeUndefined();
      return (answer.data!.sendMessage as { reply: string }).reply;
    }

    it('stops reading clients back to an address after 20 guesses in its day, not to others', async () => {
      const matricule = `${letters()}-${String(100 + Math.floor(Math.random() * 900))}-${letters()}`;
      await staff(`mutation($input: RegisterClientInput!) { registerClient(input: $input) { id } }`, {
        input: { matricule, lastName: 'Gardien', firstName: 'Test', birthDate: '1980-05-04' },
      });
      // the bot learns the client from identity's events; the polling speaks from its own address
      const poller = `198.51.100.${10 + Math.floor(Math.random() * 200)}`;
      await waitFor('the bot to know the new client', async () =>
        /Gardien/.test(await guess(poller, matricule)) ? true : undefined,
      );
      const attacker = `203.0.113.${10 + Math.floor(Math.random() * 200)}`;
      for (let i = 0; i < 20; i += 1) {
        const reply = await guess(attacker, `ZZ-${String(100 + i)}-${letters()}`);
        // understood as a matricule nobody holds (a guess that counts), and nothing read back
        expect(reply).toMatch(/code personnel/);
      }
      // one past the ceiling: the real client is not read back to the attacker's address
      expect(await guess(attacker, matricule)).not.toMatch(/Gardien/);
      // another address is not concerned
      expect(await guess(`192.0.2.${10 + Math.floor(Math.random() * 200)}`, matricule)).toMatch(
        /Vous êtes bien Gardien/,
      );
    });
  });

  describe('API2 broken authentication: the internal tokens between the gateway and the subgraphs', () => {
    // what a gateway sends: the test holds the gateway's private key, as the gateway does
    const query = 'query($id: ID!) { client(id: $id) { id matricule } }';
    const send = async (subgraph: string, token: string | undefined, body: object) => {
      const res = await fetch(system.subgraphUrls[subgraph]!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { [INTERNAL_TOKEN_HEADER]: token } : {}) },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Answer };
    };
    const mint = (audience: string, body: { query: string; variables: Record<string, unknown> }) =>
      new InternalTokenSigner(system.internalKeys.privateKey).mint(
        { sub: randomUUID(), roles: ['supervisor'] },
        audience,
        { request: requestDigest(body) },
      );

    it('a subgraph refuses a call that does not come through the gateway', async () => {
      const direct = await send('identity', undefined, { query, variables: { id: file.clientA } });
      expect(direct.status).toBe(401);
      expect(codes(direct.body)).toEqual(['AUTH.NOT_FROM_GATEWAY']);
    });

    it('a token works once: replayed, it is refused', async () => {
      const body = { query, variables: { id: file.clientA } };
      const token = await mint('identity', body);
      const first = await send('identity', token, body);
      expect(first.status).toBe(200);
      expect(first.body.data).toMatchObject({ client: { id: file.clientA } });
      const replayed = await send('identity', token, body);
      expect(replayed.status).toBe(401);
      expect(codes(replayed.body)).toEqual(['AUTH.NOT_FROM_GATEWAY']);
    });

    it('a token minted for one subgraph is refused by another (cross-audience)', async () => {
      const body = { query: '{ __typename }', variables: {} };
      const forClaims = await mint('claims', body);
      const atIdentity = await send('identity', forClaims, body);
      expect(atIdentity.status).toBe(401);
      expect(codes(atIdentity.body)).toEqual(['AUTH.NOT_FROM_GATEWAY']);
    });

    it("a token seen for one request cannot carry another (another client's id)", async () => {
      const token = await mint('identity', { query, variables: { id: file.clientA } });
      const swapped = await send('identity', token, { query, variables: { id: file.clientB } });
      expect(swapped.status).toBe(401);
      expect(JSON.stringify(swapped.body)).not.toContain(file.clientB);
    });

    it('a token signed with the user-token secret (a known HS256 key) is refused', async () => {
      const body = { query, variables: { id: file.clientA } };
      const forged = await issueUserToken(
        { sub: 'x', roles: ['supervisor'] },
        {
          ...system.userTokens,
          issuer: 'crm-gateway',
          audience: 'identity',
        },
      );
      expect((await send('identity', forged, body)).status).toBe(401);
    });
  });
});
