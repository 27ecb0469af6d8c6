// The catalog of subscriptions is the truth (startService refuses anything it does not
// declare); the docs must say the same: docs/architecture.md's "consumes" column per service and
// docs/events.md's consumer groups, both read here and compared with SUBSCRIPTION_CATALOG.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventError } from './errors';
import { TOPIC_CATALOG, topicForEventType } from './catalog';
import { EVENT_DOMAINS, EVENT_TYPES } from './generated/schemas.generated';
import {
  SUBSCRIPTION_CATALOG,
  assertDeclaredSubscription,
  declaredSubscription,
  type SubscriptionSpec,
} from './subscriptions';

const ROOT = join(__dirname, '..', '..', '..');
const doc = (name: string) => readFileSync(join(ROOT, 'docs', name), 'utf8');

/** The rows of the markdown table whose header line starts with `header`, as cells. */
function tableRows(markdown: string, header: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith(header));
  if (start < 0) throw new Error(`no table starting with "${header}"`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

/** Every event type a piece of prose names. */
const typesNamed = (text: string): string[] =>
  EVENT_TYPES.filter((t) => new RegExp(`\\b${t}\\b`).test(text)).sort();

const sorted = (types: Iterable<string>) => [...new Set(types)].sort();
const servicesOf = (catalog: readonly SubscriptionSpec[]) => sorted(catalog.map((s) => s.service));

describe('SUBSCRIPTION_CATALOG', () => {
  it('names each consumer group once, with event types that exist', () => {
    const names = SUBSCRIPTION_CATALOG.map((s) => `${s.service}/${s.consumer}`);
    expect(new Set(names).size).toBe(names.length);
    for (const spec of SUBSCRIPTION_CATALOG) {
      expect(spec.types.length).toBeGreaterThan(0);
      expect(spec.consumer.startsWith(`${spec.service}.`)).toBe(true);
      for (const type of spec.types) expect(EVENT_TYPES).toContain(type);
    }
  });

  it("has one group at most reading a topic whose consumed records are deleted (the partners' inbound)", () => {
    const deleting = TOPIC_CATALOG.topics.filter((t) => t.deleteConsumed);
    expect(deleting.map((t) => t.name)).toEqual(['crm.partner.inbound.v1']);
    for (const topic of deleting) {
      const readers = SUBSCRIPTION_CATALOG.filter((s) =>
        s.types.some((t) => EVENT_DOMAINS[t] === topic.domain),
      );
      // another group would find the records deleted under it before it read them
      expect(readers.map((s) => s.consumer)).toEqual(['claims.partner-ingestion']);
    }
  });

  it("reads a bot turn's messages only in the live feed: the domain topic's other readers do not fetch them", () => {
    const topicsOf = (spec: SubscriptionSpec) =>
      sorted(spec.types.filter((t) => EVENT_DOMAINS[t] !== 'partner').map((t) => topicForEventType(t).name));
    const readers = (topic: string) =>
      SUBSCRIPTION_CATALOG.filter((s) => topicsOf(s).includes(topic)).map((s) => s.consumer);
    expect(readers('crm.conversation.messages.v1')).toEqual(['conversation.live.']);
    // intake, handoff requests, ownership and erasure proofs still come from the domain's topic
    expect(readers('crm.conversation.events.v1')).toEqual(
      expect.arrayContaining([
        'claims.intake',
        'identity.erasures',
        'escalation.requests',
        'escalation.conversation',
      ]),
    );
  });

  it('accepts a declared subscription (an ephemeral one by its prefix) and refuses the rest', () => {
    expect(
      assertDeclaredSubscription('claims', { consumer: 'claims.lifecycle', types: ['ReimbursementSettled'] })
        .consumer,
    ).toBe('claims.lifecycle');
    expect(declaredSubscription('escalation', 'escalation.live.host-12-abcd')?.ephemeral).toBe(true);
    const refused = (service: string, options: Parameters<typeof assertDeclaredSubscription>[1]) => {
      try {
        assertDeclaredSubscription(service, options);
      } catch (err) {
        return err as EventError;
      }
      throw new Error('accepted');
    };
    // another service's group, an unknown group, an undeclared type, no types, ephemeral mismatch
    for (const [service, options] of [
      ['reimbursement', { consumer: 'claims.lifecycle', types: ['ReimbursementSettled'] }],
      ['reimbursement', { consumer: 'reimbursement.settlements', types: ['ReimbursementSettled'] }],
      ['reimbursement', { consumer: 'reimbursement.known-claims', types: ['ClaimOpened', 'ClaimUpdated'] }],
      ['reimbursement', { consumer: 'reimbursement.known-claims' }],
      ['escalation', { consumer: 'escalation.live.x', types: ['EscalationQueued'] }],
    ] as const) {
      const err = refused(service, options);
      expect(err).toBeInstanceOf(EventError);
      expect(err.code).toBe('EVENT.UNDECLARED_SUBSCRIPTION');
    }
  });
});

describe('the docs say what the catalog declares', () => {
  it("docs/architecture.md: each service's consumes column names exactly the types its subscriptions read", () => {
    const rows = tableRows(doc('architecture.md'), '| service | tables');
    const documented = Object.fromEntries(rows.map((cells) => [cells[0]!, typesNamed(cells[3]!)]));
    expect(Object.keys(documented).sort()).toEqual(servicesOf(SUBSCRIPTION_CATALOG));
    for (const service of servicesOf(SUBSCRIPTION_CATALOG)) {
      const declared = sorted(
        SUBSCRIPTION_CATALOG.filter((s) => s.service === service).flatMap((s) => s.types),
      );
      expect({ service, consumes: documented[service] }).toEqual({ service, consumes: declared });
    }
  });

  it('docs/events.md: one row per consumer group, with its service and the types it reads', () => {
    const rows = tableRows(doc('events.md'), '| group | service');
    const documented = rows.map((cells) => ({
      // `escalation.live.<host>-<pid>-<random>`: the ephemeral group's prefix
      consumer: cells[0]!.replace(/`/g, '').replace(/<.*$/, ''),
      // "escalation (ephemeral, one per process)"
      service: cells[1]!.split(' ')[0]!,
      types: typesNamed(cells[2]!),
    }));
    const declared = SUBSCRIPTION_CATALOG.map((s) => ({
      consumer: s.consumer,
      service: s.service,
      types: sorted(s.types),
    }));
    const byName = (a: { consumer: string }, b: { consumer: string }) => a.consumer.localeCompare(b.consumer);
    expect(documented.sort(byName)).toEqual(declared.sort(byName));
  });
});
