// The audit trail of every service (docs/security.md, Audit log): each mutation's root field,
// and each staff read of the fields a service names (the claims subgraph's claim file), becomes
// one record of the service's hash-chained audit_log (@crm/db appendAudit): who (principal,
// roles), what (operation, entity), the outcome (ok or the error code the caller got), when and
// the correlation id. Recorded once the response is ready, before it is sent, by the process's
// one AuditWriter (a group commit: one connection and one hold of the chain's lock at a time).
import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import {
  getArgumentValues,
  getNamedType,
  Kind,
  OperationTypeNode,
  type FieldNode,
  type GraphQLFormattedError,
  type GraphQLObjectType,
  type SelectionSetNode,
} from 'graphql';
import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { hasRole } from '@crm/auth';
import { appendAudit, AuditWriter, readAuditTrails, type AuditRecord, type AuditRow } from '@crm/db';
import type { Logger } from '@crm/logging';
import type { BaseContext } from './base-context';
import { loaderByParent } from './loaders';
import type { AuditFieldChangeView } from './audit-notes';

export interface AuditPluginOptions {
  dataSource: DataSource;
  clock: () => Date;
  logger: Logger;
  /** root Query fields whose reads by staff (advisor, supervisor; not the system) are recorded */
  auditedReads?: readonly string[];
  /** the process's writer (made on the data source when absent); flush it before closing the pool */
  writer?: AuditWriter;
}

/** The process's audit writer: appends on the data source, one group per transaction. */
export const auditWriterOf = (dataSource: DataSource): AuditWriter =>
  new AuditWriter({ write: (records) => appendAudit(dataSource.manager, ...records) });

const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Root fields of the operation, fragments at the root included. */
function rootFields(
  selectionSet: SelectionSetNode,
  fragments: Map<string, SelectionSetNode>,
  seen = new Set<string>(),
): FieldNode[] {
  return selectionSet.selections.flatMap((s) => {
    if (s.kind === Kind.FIELD) return s.name.value.startsWith('__') ? [] : [s];
    if (s.kind === Kind.INLINE_FRAGMENT) return rootFields(s.selectionSet, fragments, seen);
    const fragment = fragments.get(s.name.value);
    if (!fragment || seen.has(s.name.value)) return [];
    seen.add(s.name.value);
    return rootFields(fragment, fragments, seen);
  });
}

const idOf = (value: unknown): string | undefined =>
  value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string'
    ? (value as { id: string }).id
    : undefined;

const codeOf = (error: GraphQLFormattedError): string => {
  const code = error.extensions?.code;
  return typeof code === 'string' ? code : 'ERROR';
};

/** The records one response leaves: one per audited root field. */
export function auditRecordsOf<T extends BaseContext>(
  ctx: GraphQLRequestContextWillSendResponse<T>,
  at: Date,
  auditedReads: ReadonlySet<string>,
): AuditRecord[] {
  const { operation, document } = ctx;
  if (!operation || !document) return []; // rejected before it ran (parse, validation)
  const { principal, correlationId } = ctx.contextValue;
  let root: GraphQLObjectType | null | undefined;
  if (operation.operation === OperationTypeNode.MUTATION) root = ctx.schema.getMutationType();
  else if (operation.operation === OperationTypeNode.QUERY && hasRole(principal, 'advisor', 'supervisor'))
    root = hasRole(principal, 'system', 'conversation') ? undefined : ctx.schema.getQueryType();
  if (!root) return [];
  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [],
    ),
  );
  const body = ctx.response.body;
  const data = body.kind === 'single' ? body.singleResult.data : undefined;
  const formatted: readonly GraphQLFormattedError[] =
    (body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors) ?? [];
  // the code is the formatted error's (what the caller got), the path the raw one's (an
  // AuthError's answer carries none); Apollo formats them one by one, in order
  const raw = ctx.errors ?? [];
  const errors = formatted.map((e, i) => ({
    code: codeOf(e),
    path: raw.length === formatted.length ? raw[i]!.path : e.path,
  }));
  const operationName = ctx.operationName ?? ctx.request.operationName ?? null;
  const records: AuditRecord[] = [];
  const fields = rootFields(operation.selectionSet, fragments);
  const mutation = operation.operation === OperationTypeNode.MUTATION;
  for (const node of fields) {
    const field = root.getFields()[node.name.value];
    if (!field) continue;
    if (operation.operation === OperationTypeNode.QUERY && !auditedReads.has(field.name)) continue;
    const key = node.alias?.value ?? node.name.value;
    let args: Record<string, unknown> = {};
    try {
      args = getArgumentValues(field, node, ctx.request.variables ?? {});
    } catch {
      // arguments the execution refused too: the error below says so
    }
    const error = errors.find((e) => e.path?.[0] === key) ?? errors.find((e) => !e.path);
    const entityId =
      (typeof args.id === 'string' ? args.id : undefined) ??
      idOf(args.input) ??
      idOf(data?.[key]) ??
      // a mutation that names its entity nowhere (a bot turn answers a ConversationTurn, without
      // id; a caller may not select id): the one entity its service noted, when it is alone
      (mutation && fields.length === 1 ? ctx.contextValue.audit.soleEntity() : null);
    records.push({
      at,
      principal: principal.sub,
      roles: principal.roles,
      operation: `${root.name}.${field.name}`,
      operationName: operationName && OPERATION_NAME.test(operationName) ? operationName : null,
      entityType: getNamedType(field.type).name,
      entityId: entityId ?? null,
      // no answer for the field without an error of its own: an earlier root field's error
      // nulled the whole result (and a mutation's later fields did not run)
      outcome: error ? error.code : data && key in data ? 'ok' : 'SKIPPED',
      correlationId,
      // the fields the service changed on that entity, encrypted by it (mutations only)
      sealedChanges: mutation ? ctx.contextValue.audit.changesOf(entityId) : null,
    });
  }
  return records;
}

/** Records every mutation and every staff read of `auditedReads` in the service's audit_log. */
export function auditPlugin<T extends BaseContext>(options: AuditPluginOptions): ApolloServerPlugin<T> {
  const reads = new Set(options.auditedReads ?? []);
  const writer = options.writer ?? auditWriterOf(options.dataSource);
  return {
    requestDidStart() {
      return Promise.resolve({
        async willSendResponse(ctx) {
          const records = auditRecordsOf(ctx, options.clock(), reads);
          if (!records.length) return;
          try {
            await writer.append(records);
          } catch (err) {
            // the change is done and the caller gets its answer; the missing record is an alert.
            // The driver's error is not logged: its parameters are the record's (principal, ids)
            options.logger.error(
              {
                correlationId: ctx.contextValue.correlationId,
                operations: records.map((r) => r.operation),
                code: (err as { code?: unknown }).code,
              },
              'audit record not written',
            );
          }
        },
      });
    },
  };
}

/** At most this many records of one entity's trail through the graph (newest first). */
export const MAX_AUDIT_TRAIL = 100;

// AuditFieldChangeView (one changed field as the graph shows it) lives in audit-notes.ts,
// beside the sealing that fills it
export type { AuditFieldChangeView } from './audit-notes';

/**
 * How a service opens the values of its records' changes (sealed under a person's key): given
 * the records of a batch, returns each record's changes by seq. Without one, the values are
 * digests and are not shown.
 */
export type AuditChangeReveal = (
  records: readonly AuditRow[],
) => Promise<Map<number, AuditFieldChangeView[]>>;

const unrevealed = (r: AuditRow): AuditFieldChangeView[] =>
  Object.keys(r.changes ?? {})
    .sort()
    .map((field) => ({ field, old: null, new: null, erased: false }));

/**
 * The GraphQL shape of a record (type AuditRecord, the same in every subgraph that shows one):
 * the stored row, its number as a string (a bigint), its changes opened, without the chain's link.
 */
export interface AuditRecordView extends Omit<AuditRow, 'seq' | 'changes' | 'prevHash'> {
  seq: string;
  changedFields: string[];
  changes: AuditFieldChangeView[];
}

/**
 * A request-scoped loader of entities' audit trails (the newest MAX_AUDIT_TRAIL records of each,
 * newest first): one statement per batch of parents.
 */
export function auditTrailLoader(
  dataSource: DataSource,
  entityType: string,
  reveal?: AuditChangeReveal,
): DataLoader<string, AuditRecordView[]> {
  return loaderByParent(
    async (ids) => {
      const rows = await readAuditTrails(dataSource.manager, entityType, ids, MAX_AUDIT_TRAIL);
      const revealed = reveal
        ? await reveal(rows.filter((r) => r.changes))
        : new Map<number, AuditFieldChangeView[]>();
      return rows.map((r): AuditRecordView => ({
        seq: String(r.seq),
        at: r.at,
        principal: r.principal,
        roles: r.roles,
        operation: r.operation,
        operationName: r.operationName,
        entityType: r.entityType,
        entityId: r.entityId,
        outcome: r.outcome,
        changedFields: Object.keys(r.changes ?? {}).sort(),
        changes: revealed.get(r.seq) ?? unrevealed(r),
        correlationId: r.correlationId,
        hash: r.hash,
      }));
    },
    (r) => r.entityId ?? '',
  );
}
