// Issue 18: a client's erasure through the real system (processes, PostgreSQL, Kafka). A client
// with a contract, a claim (its messages), a reimbursement, an escalation entry, a bot
// conversation and partner events (a partner's chat sent his audit and call request, by his
// e-mail: a case, its journal, a call-request entry, the lead; another's message on Kafka that
// claims refused, a dead letter sealed under his key) is erased by a supervisor; the supervisor follows the erasure until every service
// has sent its proof (Client.erasure); then a scan of every table of every service database
// finds the client's canary words nowhere in clear (nor before the erasure: they are sealed at
// rest), while the claim's number, status and amounts remain. Every record of every Kafka topic
// holds him sealed only (the outboxes too), under keys his erasure shreds: identity's key
// release gives his key before the erasure and answers erased after. Every line
// every process logged (at info, from start to the end) is scanned too: none holds his name,
// matricule, e-mail or phone, in any spelling (docs/security.md, Logs).
import { issueUserToken } from '@crm/auth';
import { partnerMessageKey, sealedPartName } from '@crm/events';
import pg from 'pg';
import { decryptField, DEV_EVENT_KEYS_SECRET, KeyReleaseClient } from '@crm/privacy';
import { DEV_PARTNER_API_KEY, DEV_PARTNER_SOURCE } from './rest/events';
import {
  databaseText,
  graphqlClient,
  hoursAgo,
  namespaceRecords,
  randomSuffix,
  startSystem,
  testKafka,
  waitFor,
  type GraphQLCall,
  type RunningSystem,
} from '@crm/testing';

describe("a client's erasure through the whole system (GDPR)", () => {
  let system: RunningSystem;
  let gql: GraphQLCall;
  /** everything the processes wrote, whole (output() keeps only the last chunks) */
  const logged: string[] = [];

  beforeAll(async () => {
    system = await startSystem('erasure', {
      logLevel: 'info',
      onOutput: (process, text) => logged.push(`[${process}] ${text}`),
    });
    const token = await issueUserToken(
      { sub: 'sup-erasure', roles: ['advisor', 'supervisor'], name: 'Sophie Leroy' },
      system.userTokens,
    );
    gql = graphqlClient(system.url, token);
  }, 180_000);
  afterAll(() => system?.stop());

  it('leaves no clear copy of him in any service database, and keeps the claim’s amounts and status', async () => {
    const canary = `Zorglub${randomSuffix(6)}`;
    const matricule = `ZE-${String(100 + Math.floor(Math.random() * 899))}-RG`;
    // and the canary scan when the system stops looks for them everywhere, beside every e-mail,
    // phone and matricule in clear
    system.canaries.push(canary, 'Erasmus');
    const { registerClient: client } = await gql<{ registerClient: { id: string } }>(
      `mutation($input: RegisterClientInput!) { registerClient(input: $input) { id } }`,
      {
        input: {
          matricule,
          lastName: canary,
          firstName: 'Erasmus',
          email: `${canary.toLowerCase()}@example.fr`,
          phone: '06 98 76 54 32',
          city: `Ville-${canary}`,
        },
      },
    );
    const { issueContract: contract } = await gql<{ issueContract: { id: string } }>(
      `mutation($input: IssueContractInput!) { issueContract(input: $input) { id } }`,
      {
        input: {
          clientId: client.id,
          contractNumber: `AUTO-${randomSuffix(4)}`,
          type: 'AUTO',
          subscribedOn: '2021-03-01',
          status: 'ACTIVE',
          coverages: ['tiers', 'dommages_collision'],
        },
      },
    );
    const { openClaim: claim } = await gql<{ openClaim: { id: string; claimNumber: string } }>(
      `mutation($input: OpenClaimInput!) { openClaim(input: $input) { id claimNumber } }`,
      {
        input: {
          clientId: client.id,
          contractId: contract.id,
          occurredAt: hoursAgo(3),
          type: 'COLLISION',
          description: `Accroché en sortant du parking, dit ${canary}`,
          location: `Parking ${canary}`,
          thirdPartyInvolved: false,
          estimatedDamage: '1200',
          photoUrls: [`https://files.example/${canary}.jpg`],
        },
      },
    );
    await gql(`mutation($input: AddClaimMessageInput!) { addClaimMessage(input: $input) { id } }`, {
      input: { claimId: claim.id, role: 'USER', text: `Je suis ${canary}, rappelez-moi` },
    });
    await gql(`mutation($input: CreateReimbursementInput!) { createReimbursement(input: $input) { id } }`, {
      input: { claimId: claim.id, amountClaimed: '950.00', paymentMethod: 'BANK_TRANSFER' },
    });
    await gql(`mutation($input: EscalateClaimInput!) { escalateClaim(input: $input) { id } }`, {
      input: { claimId: claim.id, clientId: client.id, reasons: ['COMPLAINT'] },
    });

    // a partner's chat about him, over HTTP as partners send (journaled by claims, never in Kafka)
    const email = `${canary.toLowerCase()}@example.fr`;
    const partner = async (type: string, extra: Record<string, unknown>) => {
      const res = await fetch(system.url.replace(/\/graphql$/, '/api/v1/events'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': DEV_PARTNER_API_KEY },
        body: JSON.stringify({
          type,
          timestamp: hoursAgo(2),
          source: DEV_PARTNER_SOURCE,
          source_id: `chat-${randomSuffix()}`,
          email: ` ${email.toUpperCase()} `,
          phone: '06 98 76 54 32',
          name: `Erasmus ${canary}`,
          intent: 'SINISTRE_AUTO',
          site_id: 'site-assureur',
          ...extra,
        }),
      });
      expect(res.status).toBe(202);
    };
    await partner('AUDIT_COMPLETED', {
      payload: {
        visa_type: 'AUTO',
        audit_status: 'VALID',
        confidence_score: 80,
        issues: [`photos de ${canary}`],
        missing_docs: [],
        ready_for_payment: false,
      },
    });
    await partner('CALL_REQUESTED', {
      payload: {
        reason: 'case_complexity',
        visa_type: 'AUTO',
        user_stage: 'devis',
        notes: `rappeler ${canary} le soir`,
      },
    });
    type PartnerCase = {
      id: string;
      leadEmail: string | null;
      events: { edges: { node: { type: string; payload: unknown } }[] };
      escalation: { id: string; callRequest: { notes: string | null } | null } | null;
    };
    const caseQuery = `query($email: String!) { casesByLead(email: $email) {
      id leadEmail events { edges { node { type payload } } } escalation { id callRequest { notes } } } }`;
    // queued by escalation, and the lead known to identity with its case (CaseEventRecorded)
    const [partnerCase] = await waitFor(
      'the partner case queued and its lead known',
      async () => {
        const { casesByLead } = await gql<{ casesByLead: PartnerCase[] }>(caseQuery, { email });
        const { lead } = await gql<{ lead: { email: string } | null }>(
          `query($email: String!) { lead(email: $email) { email } }`,
          { email },
        );
        return casesByLead[0]?.escalation && lead ? casesByLead : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(partnerCase!.leadEmail).toBe(email);
    expect(partnerCase!.escalation!.callRequest!.notes).toBe(`rappeler ${canary} le soir`);

    // another partner, publishing on Kafka, sent a message about him that claims refuses (no
    // intent): its dead letter is sealed under a key of claims' for him, which his erasure shreds
    const producer = testKafka().producer();
    await producer.connect();
    try {
      await producer.send({
        topic: `${system.namespace}crm.partner.inbound.v1`,
        acks: -1,
        messages: [
          {
            key: email,
            value: JSON.stringify({
              type: 'CALL_REQUESTED',
              timestamp: hoursAgo(1),
              source: 'AUDIT_IA',
              source_id: `refused-${randomSuffix()}`,
              email,
              name: `Erasmus ${canary}`,
              site_id: 'site-assureur',
              payload: { reason: 'x', visa_type: 'AUTO', user_stage: 'devis', notes: `pour ${canary}` },
            }),
          },
        ],
      });
    } finally {
      await producer.disconnect();
    }
    const deadLetterKey = `partner:${partnerMessageKey(email)}`;
    const claimsKey = async () => {
      const db = new pg.Client({ connectionString: system.databases.claims });
      await db.connect();
      try {
        const { rows } = await db.query<{ live: boolean }>(
          `select wrapped_key is not null as live from privacy_keys where subject_id = $1`,
          [deadLetterKey],
        );
        return rows[0];
      } finally {
        await db.end();
      }
    };
    // dead-lettered, and then deleted from the inbound topic once claims' group committed it
    // (deleteConsumed, every 30 s): what stays on Kafka is the sealed letter only
    const [deadLetter] = await waitFor(
      'the refused message dead-lettered and gone from the inbound topic',
      async () => {
        const records = await namespaceRecords(system.namespace);
        const inbound = records.filter(
          (r) => r.topic.endsWith('crm.partner.inbound.v1') && r.value.includes(canary),
        );
        const letters = records.filter(
          (r) => r.topic.endsWith('crm.partner.inbound.v1.dlq') && r.headers.includes(deadLetterKey),
        );
        return letters.length && inbound.length === 0 ? letters : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
    expect(deadLetter!.key).toBe(partnerMessageKey(email));
    expect(await claimsKey()).toEqual({ live: true });

    // the bot, once identity's events taught it the client: he confirms who he is and talks
    // each session from an address of its own: an unknown matricule counts against its address
    type Session = { conversationId: string; token: string; address: string };
    const chat = async (text: string, session: Session) => {
      const res = await fetch(system.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${session.token}`,
          'x-forwarded-for': session.address,
        },
        body: JSON.stringify({
          query: `mutation($input: SendMessageInput!) { sendMessage(input: $input) { reply } }`,
          variables: { input: { conversationId: session.conversationId, text } },
        }),
      });
      return ((await res.json()) as { data?: { sendMessage?: { reply: string } } }).data?.sendMessage?.reply;
    };
    let sessions = 0;
    const open = async (): Promise<Session> => {
      sessions += 1;
      const address = `198.51.100.${sessions % 250}`;
      const res = await fetch(system.url.replace(/\/graphql$/, '/chat/sessions'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
        body: '{}',
      });
      return { ...((await res.json()) as { conversationId: string; token: string }), address };
    };
    let session = await open();
    await waitFor(
      'the bot to know the client',
      async () => {
        if (/Vous êtes bien/.test((await chat(matricule, session)) ?? '')) return true;
        session = await open();
        return undefined;
      },
      { intervalMs: 300 },
    );
    expect(await chat('oui c’est bien moi', session)).toBeDefined();
    expect(await chat(`On m'a rayé la portière, je m'appelle ${canary}`, session)).toBeDefined();

    // Kafka, as a reader of the cluster's history gets it: identity's events carry him sealed
    const clearWords = [canary, canary.toLowerCase(), matricule, '+33698765432', 'Erasmus'];
    const records = await namespaceRecords(system.namespace);
    const topicsHolding = [
      ...new Set(
        records
          .filter((r) => clearWords.some((w) => `${r.key} ${r.value} ${r.headers}`.includes(w)))
          .map((r) => r.topic.slice(system.namespace.length)),
      ),
    ].sort();
    expect(topicsHolding).toEqual([]);
    const registered = records
      .filter((r) => r.topic === `${system.namespace}crm.identity.events.v1`)
      .map(
        (r) =>
          JSON.parse(r.value) as {
            id: string;
            type: string;
            sealed?: { subject: string; fields: string[]; data: string };
            data: Record<string, string>;
          },
      )
      .find((e) => e.type === 'ClientRegistered' && e.sealed?.subject === client.id);
    expect(registered?.sealed?.fields).toContain('lastName');
    expect(registered?.data.lastName).toBeUndefined();
    // the service that reads it gets identity's key and reads him; after his erasure, nobody can
    const identityUrl = system.subgraphUrls.identity!.replace(/\/graphql$/, '');
    const keyOfHim = () =>
      new KeyReleaseClient({
        service: 'conversation',
        secret: DEV_EVENT_KEYS_SECRET,
        urlOf: (service) => (service === 'identity' ? identityUrl : undefined),
      }).key('identity', client.id);
    const key = await keyOfHim();
    expect(key).not.toBe('erased');
    const part = decryptField(
      key as Buffer,
      client.id,
      sealedPartName(registered!),
      registered!.sealed!.data,
    );
    expect(JSON.parse(part)).toMatchObject({ lastName: canary, matricule });

    const scan = async (word: string) => {
      const found: string[] = [];
      for (const [service, url] of Object.entries(system.databases))
        for (const [table, text] of await databaseText(url))
          if (text.includes(word)) found.push(`${service}.${table}`);
      return found.sort();
    };
    const holding = () => scan(canary);
    // the scan reads every row (else it would prove nothing): the claim's number, in clear, is
    // found where it is kept, the outboxes included
    expect(await scan(claim.claimNumber)).toEqual(
      expect.arrayContaining(['claims.sinistres', 'claims.event_outbox']),
    );
    // before any erasure, every table holds him sealed already (docs/privacy.md), the outboxes
    // too: what he told the bot, his claim's account and its third party, his identity
    expect(await holding()).toEqual([]);

    await gql(`mutation($id: ID!) { eraseClient(id: $id) { id status } }`, { id: client.id });
    const progress = await waitFor(
      'every service to prove its part of the erasure',
      async () => {
        const { client: read } = await gql<{
          client: { erasure: { complete: boolean; services: { service: string; done: boolean }[] } | null };
        }>(`query($id: ID!) { client(id: $id) { erasure { complete services { service done } } } }`, {
          id: client.id,
        });
        return read.erasure?.complete ? read.erasure : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(progress.services.map((s) => s.service)).toEqual([
      'identity',
      'conversation',
      'claims',
      'escalation',
      'reimbursement',
    ]);

    expect(await holding()).toEqual([]);
    // identity shredded his key: the events Kafka still holds about him open to nothing
    expect(await keyOfHim()).toBe('erased');
    // and claims the key of the partners' dead letters of his e-mail (ClientErased's partnerKey)
    expect(await claimsKey()).toEqual({ live: false });
    // the insurer's record stays: the claim, its status, its amounts, the reimbursement
    const { claim: kept } = await gql<{
      claim: {
        claimNumber: string;
        status: string;
        description: string | null;
        reimbursements: { amountClaimed: string }[];
      };
    }>(
      `query($id: ID!) { claim(id: $id) { claimNumber status description reimbursements { amountClaimed } } }`,
      { id: claim.id },
    );
    expect(kept).toMatchObject({
      claimNumber: claim.claimNumber,
      description: null,
      reimbursements: [{ amountClaimed: '950.00' }],
    });
    expect(kept.status).toMatch(/\S/);
    // his partner case: no word of him opens any more, the journal keeps its entries and types
    const { case: erasedCase } = await gql<{ case: PartnerCase }>(
      `query($id: ID!) { case(id: $id) { id leadEmail events { edges { node { type payload } } }
        escalation { id callRequest { notes } } } }`,
      { id: partnerCase!.id },
    );
    expect(erasedCase).toEqual({
      id: partnerCase!.id,
      leadEmail: null,
      events: {
        edges: partnerCase!.events.edges.map(({ node }) => ({ node: { type: node.type, payload: null } })),
      },
      escalation: { id: partnerCase!.escalation!.id, callRequest: null },
    });
    const { lead: gone } = await gql<{ lead: unknown }>(
      `query($email: String!) { lead(email: $email) { email } }`,
      {
        email,
      },
    );
    expect(gone).toBeNull();

    // the logs, whole: the scan reads what every process wrote at info (else it proves nothing)
    const logs = logged.join('');
    for (const service of ['gateway', 'identity', 'claims', 'conversation', 'reimbursement', 'escalation'])
      expect(logs).toContain(`[${service}] `);
    expect(logs).toContain('"level":"info"');
    const digits = matricule.slice(3, 6);
    for (const clear of [
      canary,
      canary.toLowerCase(),
      matricule,
      `ZE${digits}RG`,
      `ze-${digits}-rg`,
      '06 98 76 54 32',
      '0698765432',
      '+33698765432',
      '698765432',
      'Erasmus',
    ])
      expect({ clear, found: logs.includes(clear) }).toEqual({ clear, found: false });
  }, 240_000);
});
