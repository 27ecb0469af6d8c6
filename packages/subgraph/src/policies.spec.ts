import type { Principal } from '@crm/auth';
import { buildSchema, graphql, type GraphQLSchema } from 'graphql';
import {
  anyCaller,
  chatWidget,
  either,
  enforcePolicies,
  missingPolicies,
  ownerOrStaff,
  roles,
  staff,
  supervisors,
  theConversation,
  type PolicyMap,
} from './policies';

const SDL = `
  type Client { id: ID! name: String! secret: String }
  type Page { items: [Client!]! }
  type Query { client(id: ID!): Client  clients: Page }
  type Mutation { erase(id: ID!): Boolean }
  type Subscription { changes: String }
`;

const CLIENTS: Record<string, { id: string; name: string; secret: string }> = {
  c1: { id: 'c1', name: 'Marie', secret: 's1' },
  c2: { id: 'c2', name: 'Paul', secret: 's2' },
};

const POLICIES: PolicyMap = {
  'Query.client': roles('advisor', 'supervisor', 'system', 'client'),
  'Query.clients': staff,
  'Mutation.erase': supervisors,
  'Subscription.changes': staff,
  'Client.*': ownerOrStaff((c) => (c as { id: string }).id),
  'Client.secret': staff,
  'Page.*': anyCaller,
};

type Fields = Record<string, { resolve?: unknown; subscribe?: unknown }>;
const fieldsOf = (s: GraphQLSchema, type: string) =>
  (s.getType(type) as unknown as { getFields(): Fields }).getFields();

function schema(policies: PolicyMap = POLICIES): GraphQLSchema {
  const s = buildSchema(SDL);
  const fields = (type: string) => fieldsOf(s, type);
  fields('Query').client!.resolve = (_: unknown, args: { id: string }) => CLIENTS[args.id] ?? null;
  fields('Query').clients!.resolve = () => ({ items: Object.values(CLIENTS) });
  fields('Mutation').erase!.resolve = () => true;
  fields('Subscription').changes!.subscribe = () => 'subscribed';
  return enforcePolicies(s, policies, 'test');
}

const as = (principal: Principal, source: string) =>
  graphql({ schema: schema(), source, contextValue: { principal } });
const codes = (r: { errors?: readonly { extensions?: unknown; originalError?: unknown }[] }) =>
  (r.errors ?? []).map((e) => (e.originalError as { code?: string } | undefined)?.code);

const ADVISOR: Principal = { sub: 'a1', roles: ['advisor'] };
const CLIENT_1: Principal = { sub: 'c1', roles: ['client'] };
const PARTNER: Principal = { sub: 'p1', roles: ['partner'] };

describe('enforcePolicies', () => {
  it('refuses to build a schema with a field that has no policy, or a policy that names no field', () => {
    const { 'Page.*': _page, ...withoutPage } = POLICIES;
    expect(missingPolicies(buildSchema(SDL), withoutPage)).toEqual(['Page.items']);
    expect(() => schema(withoutPage)).toThrow(/missing: Page\.items/);
    expect(() => schema({ ...POLICIES, 'Client.age': staff })).toThrow(/naming no field: Client\.age/);
  });

  it('lets staff read everything', async () => {
    const r = await as(ADVISOR, '{ client(id: "c2") { id name secret } }');
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ client: { id: 'c2', name: 'Paul', secret: 's2' } });
  });

  it('lets a policyholder read his own record but not its staff-only field', async () => {
    const own = await as(CLIENT_1, '{ client(id: "c1") { id name } }');
    expect(own.data).toEqual({ client: { id: 'c1', name: 'Marie' } });
    const secret = await as(CLIENT_1, '{ client(id: "c1") { secret } }');
    expect(codes(secret)).toEqual(['AUTH.FORBIDDEN']);
  });

  it("refuses another client's record field by field (no object-level bypass)", async () => {
    const r = await as(CLIENT_1, '{ client(id: "c2") { id name } }');
    expect(r.data).toEqual({ client: null });
    expect(codes(r)).toContain('AUTH.FORBIDDEN');
  });

  it('checks nested objects whatever path reached them', async () => {
    const r = await as(CLIENT_1, '{ clients { items { name } } }');
    expect(codes(r)).toEqual(['AUTH.FORBIDDEN']); // the root is staff only
    const staffList = await as(ADVISOR, '{ clients { items { name } } }');
    expect(staffList.errors).toBeUndefined();
  });

  it('denies roles the policy does not name: a partner reads nothing, an advisor erases nothing', async () => {
    expect(codes(await as(PARTNER, '{ client(id: "c1") { id } }'))).toEqual(['AUTH.FORBIDDEN']);
    expect(codes(await as(ADVISOR, 'mutation { erase(id: "c1") }'))).toEqual(['AUTH.FORBIDDEN']);
    expect((await as({ sub: 's', roles: ['supervisor'] }, 'mutation { erase(id: "c1") }')).data).toEqual({
      erase: true,
    });
  });

  it('guards subscribe as well as resolve', () => {
    const field = fieldsOf(schema(), 'Subscription').changes as { subscribe: (...a: unknown[]) => unknown };
    expect(field.subscribe(undefined, {}, { principal: ADVISOR }, {})).toBe('subscribed');
    expect(() => field.subscribe(undefined, {}, { principal: CLIENT_1 }, {})).toThrow(
      /Subscription\.changes/,
    );
  });
});

describe("the chat widget's policies", () => {
  const ofArgs = theConversation((_parent, args) => args.conversationId as string | undefined);
  const visitor: Principal = { sub: 'C0FFEE00-0000-4000-8000-000000000001', roles: ['conversation'] };
  it('let a visitor into his own conversation only (ids compared without case)', () => {
    expect(ofArgs.allows(visitor, undefined, { conversationId: visitor.sub.toLowerCase() })).toBe(true);
    expect(
      ofArgs.allows(visitor, undefined, { conversationId: 'c0ffee00-0000-4000-8000-000000000002' }),
    ).toBe(false);
    expect(ofArgs.allows(visitor, undefined, {})).toBe(false);
  });
  it("refuse every other role with the same subject, and the gateway's own chat-widget principal", () => {
    const args = { conversationId: visitor.sub };
    expect(ofArgs.allows({ ...visitor, roles: ['client'] }, undefined, args)).toBe(false);
    expect(
      ofArgs.allows({ sub: 'chat-widget', roles: ['conversation'] }, undefined, {
        conversationId: 'chat-widget',
      }),
    ).toBe(false);
    expect(chatWidget.allows({ sub: 'chat-widget', roles: ['conversation'] }, undefined, {})).toBe(true);
    expect(chatWidget.allows(visitor, undefined, {})).toBe(false);
    expect(chatWidget.allows({ sub: 'chat-widget', roles: ['client'] }, undefined, {})).toBe(false);
  });
  it('either: any of several policies, named together for the docs', () => {
    const p = either(staff, ofArgs, chatWidget);
    expect(p.who).toBe(`${staff.who}; or ${ofArgs.who}; or ${chatWidget.who}`);
    expect(p.allows(visitor, undefined, { conversationId: visitor.sub })).toBe(true);
    expect(p.allows({ sub: 'p', roles: ['partner'] }, undefined, { conversationId: 'p' })).toBe(false);
  });
});
