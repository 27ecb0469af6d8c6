import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The claims database: the seed's `sinistres` and `actions_recommandees` (architecture seed),
 * and seed 2's `cases` with their immutable event journal (`cases/{case_id}/events` becomes
 * the table `case_events`). Additions to the seed DDL are listed in services/claims/README.md.
 *
 * `client_id`, `contrat_id` and `conseiller_affecte_id` point into other services' databases
 * (identity, escalation): indexed UUID columns without a FOREIGN KEY, kept consistent by events.
 */
export class CreateClaims1763800000000 implements MigrationInterface {
  name = 'CreateClaims1763800000000';

  async up(q: QueryRunner): Promise<void> {
    // claim numbers come from a sequence: nextval never hands the same value to two
    // transactions, so concurrent declarations cannot collide (the UNIQUE constraint backs it)
    await q.query(`create sequence numero_sinistre_seq as bigint start 1`);

    await q.query(`
      create table cases (
        case_id varchar(200) primary key,
        lead_id varchar(254) not null check (lead_id = lower(lead_id)),
        intent varchar(100) not null,
        status varchar(50) not null,
        owner_uid varchar(200),
        site_id varchar(200),
        confidence_score smallint check (confidence_score between 0 and 100),
        last_event_at timestamp,
        next_action_at timestamp,
        created_at timestamp not null default now()
      )`);
    // seed 2's merge rule (same lead + intent + site within 30 days) looks cases up this way
    await q.query(`create index idx_cases_resolution on cases (lead_id, intent, site_id, created_at desc)`);

    await q.query(`
      create table case_events (
        event_id varchar(200) primary key,
        case_id varchar(200) not null references cases (case_id),
        type varchar(50) not null
          check (type in ('AUDIT_COMPLETED', 'CALL_REQUESTED', 'CHAT_SUMMARIZED', 'APPOINTMENT_BOOKED')),
        timestamp timestamp not null,
        source varchar(100) not null,
        source_id varchar(200) not null,
        payload jsonb not null check (jsonb_typeof(payload) = 'object'),
        summary jsonb,
        unique (source, source_id)
      )`);
    await q.query(`create index idx_case_events_case on case_events (case_id, timestamp, event_id)`);
    // seed 2: "Journal Immuable". Deletion stays possible for GDPR erasure.
    await q.query(`
      create function case_events_immutable() returns trigger language plpgsql as $$
      begin
        raise exception 'case_events is an immutable journal: rows cannot be updated'
          using errcode = 'restrict_violation';
      end $$`);
    await q.query(`
      create trigger case_events_immutable before update on case_events
      for each row execute function case_events_immutable()`);

    await q.query(`
      create table sinistres (
        id uuid primary key default gen_random_uuid(),
        numero_sinistre varchar(50) unique not null,
        client_id uuid not null,
        contrat_id uuid,
        date_sinistre timestamp not null,
        type_sinistre varchar(50)
          check (type_sinistre in ('collision', 'vol', 'incendie', 'dégâts', 'blessure')),
        description text,
        lieu varchar(255),
        tiers_implique boolean,
        nom_tiers varchar(100),
        contact_tiers varchar(20),
        tiers_responsable boolean,
        constat_amiable boolean,
        numero_constat varchar(50),
        police_intervenue boolean,
        numero_proces_verbal varchar(50),
        estimation_dommage decimal(12,2) check (estimation_dommage >= 0),
        date_estimation date,
        photo_urls jsonb check (photo_urls is null or jsonb_typeof(photo_urls) = 'array'),
        cci_score smallint check (cci_score between 0 and 100),
        status_dossier varchar(30) not null default 'nouveau'
          check (status_dossier in
            ('nouveau', 'en_cours', 'expert', 'validation', 'fermé', 'escalade', 'en_attente_client')),
        type_traitement varchar(20) check (type_traitement in ('autonome', 'escalade', 'expert')),
        conseiller_affecte_id uuid,
        date_creation timestamp not null default now(),
        date_modification timestamp not null default now(),
        date_fermeture timestamp,
        archived_at timestamp,
        cci_breakdown jsonb check (cci_breakdown is null or jsonb_typeof(cci_breakdown) = 'object'),
        cci_policy_version varchar(40),
        case_id varchar(200) references cases (case_id),
        -- a score means something only with the policy version that produced it
        constraint sinistres_cci_explained check (
          (cci_score is null and cci_policy_version is null and cci_breakdown is null)
          or (cci_score is not null and cci_policy_version is not null and cci_breakdown is not null)
        )
      )`);
    await q.query(`create index idx_sinistres_client on sinistres (client_id)`);
    await q.query(`create index idx_sinistres_status on sinistres (status_dossier)`);
    await q.query(`create index idx_sinistres_cci on sinistres (cci_score)`);
    // keyset pagination (date_creation desc, id desc), overall and per client
    await q.query(`create index idx_sinistres_listing on sinistres (date_creation desc, id desc)`);
    await q.query(
      `create index idx_sinistres_client_listing on sinistres (client_id, date_creation desc, id desc)`,
    );
    await q.query(`create index idx_sinistres_contrat on sinistres (contrat_id)`);
    await q.query(`create index idx_sinistres_conseiller on sinistres (conseiller_affecte_id)`);
    await q.query(`create index idx_sinistres_case on sinistres (case_id)`);

    await q.query(`
      create table actions_recommandees (
        id uuid primary key default gen_random_uuid(),
        sinistre_id uuid references sinistres (id),
        type_action varchar(50) not null
          check (type_action in ('envoyer_constat', 'expertise', 'paiement', 'info_client')),
        description text,
        priorite varchar(20) not null default 'normale' check (priorite in ('haute', 'normale', 'basse')),
        statut varchar(20) not null default 'en_attente'
          check (statut in ('en_attente', 'en_cours', 'faite', 'ignorée')),
        date_creation timestamp not null default now(),
        date_execution timestamp
      )`);
    await q.query(`create index idx_actions_sinistre on actions_recommandees (sinistre_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table actions_recommandees`);
    await q.query(`drop table sinistres`);
    await q.query(`drop trigger case_events_immutable on case_events`);
    await q.query(`drop function case_events_immutable()`);
    await q.query(`drop table case_events`);
    await q.query(`drop table cases`);
    await q.query(`drop sequence numero_sinistre_seq`);
  }
}
