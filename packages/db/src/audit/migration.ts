// The audit_log table, the same in every service database: each service's migrations hold one
// migration extending AuditLogMigration (its own name and timestamp, where its others live).
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * seq is not an identity: a sequence leaves a gap when a transaction rolls back, and a gap is
 * what a removed record looks like. appendAudit numbers records under the chain's lock instead.
 * A trigger refuses UPDATE, DELETE and TRUNCATE: the log is append-only for the application;
 * the hash chain shows what someone with the owner's rights did anyway.
 */
export abstract class AuditLogMigration implements MigrationInterface {
  abstract name: string;

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table audit_log (
        seq bigint primary key,
        at timestamptz not null,
        principal varchar(200) not null,
        roles text[] not null,
        operation varchar(200) not null,
        operation_name varchar(64),
        entity_type varchar(100),
        entity_id varchar(200),
        outcome varchar(100) not null,
        changes jsonb,
        correlation_id varchar(200) not null,
        prev_hash char(64) not null,
        hash char(64) not null unique
      )`);
    await q.query(`create index idx_audit_log_entity on audit_log (entity_type, entity_id, seq)`);
    await q.query(`
      create function audit_log_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_log is append-only' using errcode = 'P0001';
      end $$`);
    await q.query(`
      create trigger audit_log_append_only before update or delete or truncate on audit_log
      for each statement execute function audit_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table audit_log');
    await q.query('drop function audit_log_append_only()');
  }
}
