// Issue 4's end-to-end test: the five subgraphs and the gateway as real processes on the
// real PostgreSQL (one database each) and the real Kafka broker, driven through the gateway
// only. It creates a client and a contract, a claim, conversation messages, a reimbursement
// and an escalation, then reads the whole tree from the client in one request.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueUserToken } from '@crm/auth';
import { partnerEventId, prefixedCatalog } from '@crm/events';
import {
  graphqlClient,
  hoursAgo,
  randomSuffix,
  samplesOf,
  scrapeMetrics,
  type GraphQLCall,
  type RunningSystem,
  startSystem,
  testKafka,
  waitFor,
} from '@crm/testing';

describe('the federated system (real processes, PostgreSQL, Kafka)', () => {
  let system: RunningSystem;
  let gql: GraphQLCall;

  beforeAll(async () => {
    // caches of 64 KiB: the tests below also run on plans and documents built again on a miss
    system = await startSystem('sys', {
      gatewayEnv: { DOCUMENT_CACHE_MIB: '0.0625', QUERY_PLAN_CACHE_MIB: '0.0625' },
    });
    const token = await issueUserToken(
      { sub: 'adv-e2e', roles: ['advisor', 'supervisor'], name: 'Claire Martin' },
      system.userTokens,
    );
    gql = graphqlClient(system.url, token);
  }, 180_000);

  afterAll(() => system?.stop());

  it('creates a whole claim file through the gateway and reads the tree back in one request', async () => {
    const matricule = `ZE-${String(100 + Math.floor(Math.random() * 899))}-QA`;
    const { registerClient: client } = await gql<{ registerClient: { id: string; matricule: string } }>(
      `mutation($input: RegisterClientInput!) { registerClient(input: $input) { id matricule } }`,
      {
        input: {
          matricule: matricule.toLowerCase().replace(/-/g, ' '),
          civility: 'Mme',
          lastName: 'Dupont',
          firstName: 'Camille',
          email: 'Camille.Dupont@Example.fr ',
          phone: '06 12 34 56 78',
          city: 'Lyon',
        },
      },
    );
    expect(client.matricule).toBe(matricule);

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

    const { openClaim: claim } = await gql<{
      openClaim: { id: string; claimNumber: string; cciScore: number };
    }>(`mutation($input: OpenClaimInput!) { openClaim(input: $input) { id claimNumber cciScore } }`, {
      input: {
        clientId: client.id,
        contractId: contract.id,
        occurredAt: hoursAgo(2),
        type: 'COLLISION',
        description: "J'étais arrêté au feu rouge, une voiture m'a percuté par l'arrière",
        location: 'Lyon 3e',
        thirdPartyInvolved: true,
        amicableReport: true,
        injuries: true,
        photoUrls: ['https://files.example/p1.jpg'],
      },
    });
    expect(claim.claimNumber).toMatch(/\S+/);
    expect(claim.cciScore).toBeGreaterThanOrEqual(0);

    for (const [role, text] of [
      ['BOT', 'Y a-t-il des blessés ou douleurs ?'],
      ['USER', "Oui, j'ai mal au cou"],
    ] as const) {
      await gql(`mutation($input: AddClaimMessageInput!) { addClaimMessage(input: $input) { id } }`, {
        input: { claimId: claim.id, role, text },
      });
    }
    await gql(`mutation($input: CreateReimbursementInput!) { createReimbursement(input: $input) { id } }`, {
      input: { claimId: claim.id, amountClaimed: '1850.00', paymentMethod: 'BANK_TRANSFER' },
    });
    const { registerAdvisor: advisor } = await gql<{ registerAdvisor: { id: string } }>(
      `mutation($input: RegisterAdvisorInput!) { registerAdvisor(input: $input) { id } }`,
      {
        input: {
          name: 'Claire Martin',
          email: `claire.${randomSuffix(3)}@assureur.fr`,
          specialty: 'sinistre_complexe',
        },
      },
    );
    const { escalateClaim: entry } = await gql<{ escalateClaim: { id: string } }>(
      `mutation($input: EscalateClaimInput!) { escalateClaim(input: $input) { id } }`,
      { input: { claimId: claim.id, clientId: client.id, reasons: ['INJURIES'] } },
    );
    await gql(`mutation($input: AssignEscalationInput!) { assignEscalation(input: $input) { id } }`, {
      input: { escalationId: entry.id, advisorId: advisor.id },
    });

    const tree = await gql<{ client: Record<string, unknown> }>(
      `query($id: ID!) {
        client(id: $id) {
          lastName firstName email phone
          contracts { contractNumber status claims { claimNumber } }
          claims(first: 10) {
            totalCount
            edges { node {
              claimNumber type cciScore status
              client { lastName }
              contract { contractNumber }
              conversation { id }
              messages(last: 10) { role text }
              reimbursements { amountClaimed status claim { claimNumber } }
              escalation { status reasons advisor { name assignments { claim { claimNumber } } } }
            } }
          }
        }
      }`,
      { id: client.id },
    );
    const c = tree.client as {
      lastName: string;
      email: string;
      phone: string;
      contracts: { claims: { claimNumber: string }[] }[];
      claims: { totalCount: number; edges: { node: Record<string, unknown> }[] };
    };
    expect(c.lastName).toBe('Dupont');
    expect(c.email).toBe('camille.dupont@example.fr');
    expect(c.phone).toBe('+33612345678');
    expect(c.contracts[0]!.claims.map((x) => x.claimNumber)).toEqual([claim.claimNumber]);
    expect(c.claims.totalCount).toBe(1);
    const node = c.claims.edges[0]!.node as {
      claimNumber: string;
      type: string;
      client: { lastName: string };
      contract: { contractNumber: string };
      messages: { role: string; text: string }[];
      reimbursements: { amountClaimed: string; status: string; claim: { claimNumber: string } }[];
      escalation: {
        status: string;
        reasons: string[];
        advisor: { name: string; assignments: { claim: { claimNumber: string } }[] };
      };
    };
    expect(node.claimNumber).toBe(claim.claimNumber);
    expect(node.type).toBe('COLLISION');
    expect(node.client.lastName).toBe('Dupont');
    expect(node.messages.map((m) => m.role)).toEqual(['BOT', 'USER']);
    expect(node.reimbursements).toEqual([
      { amountClaimed: '1850.00', status: 'PENDING', claim: { claimNumber: claim.claimNumber } },
    ]);
    expect(node.escalation.status).toBe('ASSIGNED');
    expect(node.escalation.reasons).toEqual(['INJURIES']);
    expect(node.escalation.advisor.name).toBe('Claire Martin');
    expect(node.escalation.advisor.assignments.map((a) => a.claim.claimNumber)).toContain(claim.claimNumber);
  }, 120_000);

  it("normalizes a partner's identity as people type it: one case, one lead, and an unreadable phone never loses the event", async () => {
    const person = `marie.curie.${randomSuffix(3)}`;
    const inbound = prefixedCatalog(system.namespace).topics.find((t) => t.format === 'partner')!.name;
    // as partners publish them: their own format, the identity as the person typed it
    const message = (
      type: string,
      hoursBack: number,
      identity: { email: string; phone: string; name?: string },
      payload: object,
    ) => ({
      type,
      timestamp: hoursAgo(hoursBack),
      source: 'WEB_CHAT',
      source_id: `session-${randomUUID()}`,
      intent: 'DTV',
      site_id: 'siam-visa-pro',
      payload,
      ...identity,
    });
    const audit = {
      visa_type: 'DTV',
      audit_status: 'VALID',
      confidence_score: 85,
      issues: [],
      missing_docs: [],
      ready_for_payment: false,
    };
    const summary = {
      executive_summary: 'Dossier solide',
      strengths: [],
      weaknesses: [],
      action_plan: [],
      visa_score: 72,
    };
    const messages = [
      message(
        'AUDIT_COMPLETED',
        3,
        {
          email: `  ${person.replace('m', 'M').replace('c', 'C')}@Exemple.FR `,
          phone: '06 12 34 56 78',
          name: 'marie  CURIE',
        },
        audit,
      ),
      message('CHAT_SUMMARIZED', 2, { email: `${person}@exemple.fr`, phone: '+33 6 12 34 56 78' }, summary),
      message(
        'CHAT_SUMMARIZED',
        1,
        { email: `${person.toUpperCase()}@EXEMPLE.FR`, phone: '06 12 34' },
        summary,
      ),
    ];
    const producer = testKafka().producer();
    await producer.connect();
    try {
      // a plain producer, one message after the other, keyed by whatever the partner uses
      for (const m of messages)
        await producer.send({
          topic: inbound,
          acks: -1,
          messages: [{ key: m.email, value: JSON.stringify(m) }],
        });
    } finally {
      await producer.disconnect();
    }

    const email = `${person}@exemple.fr`;
    type Found = {
      casesByLead: {
        status: string;
        leadEmail: string;
        events: { edges: { node: { id: string; type: string; notes: unknown[] } }[] };
      }[];
      lead: { email: string; phone: string | null; name: string | null } | null;
    };
    const found = await waitFor(
      'the three partner events in one case, and the lead',
      async () => {
        const data = await gql<Found>(
          `query($email: String!) {
            casesByLead(email: $email) { status leadEmail events { edges { node { id type notes { field code received region } } } } }
            lead(email: $email) { email phone name }
          }`,
          // the lookup reads the address as people type it too
          { email: ` ${email.toUpperCase()}` },
        );
        const events = data.casesByLead[0]?.events.edges.length ?? 0;
        return events === 3 && data.lead?.phone ? data : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 250 },
    );
    expect(found.casesByLead).toHaveLength(1);
    expect(found.casesByLead[0]!.leadEmail).toBe(email);
    expect(found.lead).toEqual({ email, phone: '+33612345678', name: 'Marie Curie' });
    const events = found.casesByLead[0]!.events.edges.map((e) => e.node);
    expect(events.map((e) => e.id)).toEqual(messages.map((m) => partnerEventId(m.source, m.source_id)));
    expect(events.map((e) => e.notes)).toEqual([
      [],
      [],
      [{ field: 'phone', code: 'PHONE.UNREADABLE', received: '06 12 34', region: 'FR' }],
    ]);
  }, 90_000);

  it('keeps its caches within their configured bounds over many distinct operations', async () => {
    const origin = system.url.replace(/\/graphql$/, '');
    const limit = 0.0625 * 1024 * 1024;
    // 300 operations no client sent before, each planned and parsed once, all answered
    for (let i = 0; i < 300; i += 1) {
      const data = await gql<Record<string, { totalCount: number }>>(
        `query Distinct${i} { c${i}: claims(first: ${1 + (i % 5)}) { totalCount } }`,
      );
      expect(data[`c${i}`]?.totalCount).toBeGreaterThanOrEqual(0);
    }
    const gateway = await scrapeMetrics(origin);
    for (const cache of ['documents', 'query_plans']) {
      const [bytes] = samplesOf(gateway, 'crm_graphql_cache_bytes', { cache });
      const [bound] = samplesOf(gateway, 'crm_graphql_cache_limit_bytes', { cache });
      const [entries] = samplesOf(gateway, 'crm_graphql_cache_entries', { cache });
      expect({ cache, bound: bound?.value }).toEqual({ cache, bound: limit });
      // full, never over: old operations were evicted to keep the new ones
      expect(bytes?.value).toBeGreaterThan(limit / 2);
      expect(bytes?.value).toBeLessThanOrEqual(limit);
      expect(entries?.value).toBeGreaterThan(10);
      expect(entries?.value).toBeLessThan(300);
    }
    // every subgraph bounds its own parsed documents too (DOCUMENT_CACHE_MIB, 4 MiB by default)
    for (const url of Object.values(system.subgraphUrls)) {
      const families = await scrapeMetrics(url.replace(/\/graphql$/, ''));
      const [bound] = samplesOf(families, 'crm_graphql_cache_limit_bytes', { cache: 'documents' });
      expect(bound?.value).toBe(4 * 1024 * 1024);
    }
  }, 120_000);

  // last: it reads what the tests above did, as Prometheus would (docs/operations.md)
  it('every process serves its metrics: requests by operation and outcome, latency, subgraph calls, outbox, consumers, pool', async () => {
    const origin = system.url.replace(/\/graphql$/, '');
    const gateway = await scrapeMetrics(origin);
    const requests = samplesOf(gateway, 'crm_graphql_requests_total', { service: 'gateway' });
    expect(requests.some((s) => s.labels.outcome === 'ok' && (s.value ?? 0) > 0)).toBe(true);
    expect(gateway.get('crm_graphql_request_duration_seconds')?.type).toBe('HISTOGRAM');
    const calls = samplesOf(gateway, 'crm_subgraph_request_duration_seconds', { outcome: 'ok' });
    // the tree test above reached every subgraph through the gateway
    expect(new Set(calls.filter((s) => (s.count ?? 0) > 0).map((s) => s.labels.subgraph))).toEqual(
      new Set(Object.keys(system.subgraphUrls)),
    );
    expect(samplesOf(gateway, 'crm_ws_open', { kind: 'subscriptions' })).toHaveLength(1);
    expect(samplesOf(gateway, 'crm_process_resident_memory_bytes')[0]?.value).toBeGreaterThan(0);

    const exposed = new Set(gateway.keys());
    for (const [service, url] of Object.entries(system.subgraphUrls)) {
      const families = await scrapeMetrics(url.replace(/\/graphql$/, ''));
      for (const name of families.keys()) exposed.add(name);
      const served = samplesOf(families, 'crm_graphql_requests_total', { service });
      expect({ service, served: served.reduce((n, s) => n + (s.value ?? 0), 0) > 0 }).toEqual({
        service,
        served: true,
      });
      expect(samplesOf(families, 'crm_outbox_pending_rows', { service })).toHaveLength(1);
      expect(samplesOf(families, 'crm_db_pool_connections', { state: 'total' })[0]?.value).toBeGreaterThan(0);
      // every durable consumer reports whether it holds its partitions
      expect(samplesOf(families, 'crm_consumer_joined').length).toBeGreaterThan(0);
      for (const family of [
        'crm_consumer_lag_messages',
        'crm_consumer_retries_total',
        'crm_consumer_dead_lettered_total',
        'crm_graphql_request_duration_seconds',
      ])
        expect({ service, family, exposed: families.has(family) }).toEqual({
          service,
          family,
          exposed: true,
        });
    }

    // the alerts and the dashboard an operator installs read series that exist
    for (const file of ['deploy/prometheus/alerts.yaml', 'deploy/grafana/claims-crm.json']) {
      const text = readFileSync(join(__dirname, '..', '..', file), 'utf8');
      const used = new Set(
        [...text.matchAll(/\bcrm_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, '')),
      );
      expect({ file, missing: [...used].filter((name) => !exposed.has(name)) }).toEqual({
        file,
        missing: [],
      });
    }

    // from another machine (through a proxy here), nothing without the token
    const forwarded = await fetch(`${origin}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(forwarded.status).toBe(403);
  });
});
