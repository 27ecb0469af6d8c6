// Deny by default: every field of a subgraph's schema states who may read it, in one policy map
// per service (src/policies.ts). The map is applied to the built schema: each field's resolver
// (and each subscription's subscribe) first asks its policy, whichever path reached it (a root
// field, an entity through _entities, a field of a nested object), so no path skips a check.
// A field without a policy stops the service at start-up, and the policy test fails on it.
import { AuthError, CHAT_WIDGET, hasRole, STAFF, type Principal, type Role } from '@crm/auth';
import {
  defaultFieldResolver,
  isObjectType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import type { BaseContext } from './base-context';

/** Who may use a field: a check on the caller, the parent object and the arguments, with its words for the docs. */
export interface Policy {
  /** the rule in a few words, for the generated table in docs/graph.md */
  readonly who: string;
  allows(principal: Principal, parent: unknown, args: Record<string, unknown>): boolean;
}

/** `Type.field`, or `Type.*` for every field of a type that has no entry of its own. */
export type PolicyMap = Readonly<Record<string, Policy>>;

/** Any caller the gateway vouched for: for fields reachable only through a checked parent. */
export const anyCaller: Policy = { who: 'any caller (the parent was checked)', allows: () => true };

/** The federation plumbing the gateway calls; what it returns is checked field by field. */
export const federation: Policy = { who: 'the gateway (federation)', allows: () => true };

export function roles(...allowed: Role[]): Policy {
  return { who: allowed.join(', '), allows: (p) => hasRole(p, ...allowed) };
}

/** The insurer's people and the services themselves. */
export const staff: Policy = {
  who: 'staff (advisor, supervisor, system)',
  allows: (p) => hasRole(p, ...STAFF),
};

/** Supervisors and the services: administration (advisors, erasure). */
export const supervisors: Policy = roles('supervisor', 'system');

/**
 * Staff, or the policyholder the object belongs to: a `client` principal's subject is its
 * client id, compared with the id `ownerOf` reads from the parent (or the arguments, for a
 * root field). An object with no owner is staff only.
 */
export function ownerOrStaff(
  ownerOf: (parent: unknown, args: Record<string, unknown>) => string | null | undefined,
  what = 'the policyholder it belongs to',
): Policy {
  return {
    who: `staff, or ${what}`,
    allows: (p, parent, args) => {
      if (staff.allows(p, parent, args)) return true;
      if (!hasRole(p, 'client')) return false;
      const owner = ownerOf(parent, args);
      return typeof owner === 'string' && owner.toLowerCase() === p.sub.toLowerCase();
    },
  };
}

/** Staff, or the policyholder whose client record (or reference) the object is: its id is his. */
export const staffOrTheClient: Policy = ownerOrStaff(
  (client) => (client as { id?: string }).id,
  'the policyholder himself',
);

/**
 * Any of the insurer's people or a policyholder, not a partner: for a root field whose result
 * says whose it is (its fields are checked one by one).
 */
export const staffOrClients: Policy = roles('advisor', 'supervisor', 'system', 'client');

/** Either policy allows (any number of them). */
export function either(...policies: [Policy, Policy, ...Policy[]]): Policy {
  return {
    who: policies.map((p) => p.who).join('; or '),
    allows: (p, parent, args) => policies.some((policy) => policy.allows(p, parent, args)),
  };
}

/**
 * A chat widget's visitor in his one conversation: the role `conversation`, whose subject is the
 * conversation id, compared with the id `idOf` reads from the parent or the arguments.
 */
export function theConversation(
  idOf: (parent: unknown, args: Record<string, unknown>) => string | null | undefined,
  what = 'the chat visitor of this conversation',
): Policy {
  return {
    who: what,
    allows: (p, parent, args) => {
      if (!hasRole(p, 'conversation') || p.sub === CHAT_WIDGET.sub) return false;
      const id = idOf(parent, args);
      return typeof id === 'string' && id.toLowerCase() === p.sub.toLowerCase();
    },
  };
}

/** The gateway opening a conversation for a chat widget (POST /chat/sessions); no token carries it. */
export const chatWidget: Policy = {
  who: 'the gateway for a chat widget (POST /chat/sessions)',
  allows: (p) => hasRole(p, 'conversation') && p.sub === CHAT_WIDGET.sub,
};

/** Federation's own fields: the gateway needs them to plan and to resolve entities. */
const FEDERATION_FIELDS = new Set(['Query._service', 'Query._entities', '_Service.sdl']);

/** Every `Type.field` of the schema's object types (introspection types left out). */
export function schemaFields(schema: GraphQLSchema): { type: string; field: string; key: string }[] {
  return Object.values(schema.getTypeMap())
    .filter((t) => isObjectType(t) && !t.name.startsWith('__'))
    .flatMap((t) =>
      Object.keys((t as { getFields(): Record<string, unknown> }).getFields()).map((field) => ({
        type: t.name,
        field,
        key: `${t.name}.${field}`,
      })),
    );
}

/** The policy a field falls under, if any. */
export function policyOf(policies: PolicyMap, type: string, field: string): Policy | undefined {
  const key = `${type}.${field}`;
  if (FEDERATION_FIELDS.has(key)) return federation;
  return policies[key] ?? policies[`${type}.*`];
}

/** The fields of `schema` that no policy covers (empty when the map is complete). */
export function missingPolicies(schema: GraphQLSchema, policies: PolicyMap): string[] {
  return schemaFields(schema)
    .filter((f) => !policyOf(policies, f.type, f.field))
    .map((f) => f.key);
}

/** Entries of the map that name no field of the schema (a renamed field leaves one behind). */
export function unusedPolicies(schema: GraphQLSchema, policies: PolicyMap): string[] {
  const fields = schemaFields(schema);
  const keys = new Set(fields.map((f) => f.key));
  const types = new Set(fields.map((f) => f.type));
  return Object.keys(policies).filter((k) => (k.endsWith('.*') ? !types.has(k.slice(0, -2)) : !keys.has(k)));
}

function forbidden(type: string, field: string, policy: Policy): AuthError {
  return new AuthError('AUTH.FORBIDDEN', `${type}.${field} is for ${policy.who}`);
}

/**
 * Wraps every field of the schema with its policy, in place. Throws when a field has none or
 * when the map names a field the schema lacks, so a service cannot start half-guarded.
 */
export function enforcePolicies(schema: GraphQLSchema, policies: PolicyMap, service: string): GraphQLSchema {
  const missing = missingPolicies(schema, policies);
  const unused = unusedPolicies(schema, policies);
  if (missing.length || unused.length) {
    throw new Error(
      `${service}: every field needs a policy (src/policies.ts)` +
        (missing.length ? `; missing: ${missing.join(', ')}` : '') +
        (unused.length ? `; naming no field: ${unused.join(', ')}` : ''),
    );
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields()) as GraphQLField<
      unknown,
      BaseContext,
      Record<string, unknown>
    >[]) {
      const policy = policyOf(policies, type.name, field.name)!;
      if (policy === federation || policy === anyCaller) continue;
      field.resolve = guard(type.name, field.name, policy, field.resolve ?? defaultFieldResolver);
      if (field.subscribe) field.subscribe = guard(type.name, field.name, policy, field.subscribe);
    }
  }
  return schema;
}

function guard(
  type: string,
  field: string,
  policy: Policy,
  next: GraphQLFieldResolver<unknown, BaseContext, Record<string, unknown>>,
): GraphQLFieldResolver<unknown, BaseContext, Record<string, unknown>> {
  return (parent, args, ctx, info) => {
    if (!policy.allows(ctx.principal, parent, args)) throw forbidden(type, field, policy);
    return next(parent, args, ctx, info);
  };
}
