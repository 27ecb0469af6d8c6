import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether the hour of date_sinistre is known. The bot records a claim told with a day and no
 * hour ("hier soir", "lundi") at the day's start (UTC), which the console showed as 01:00 or
 * 02:00, Paris time. A claim recorded before this column: its hour is taken as unknown when
 * date_sinistre is exactly a day's start (the bot's only way to write one; a time told by a
 * client or typed by an advisor is that instant only at 01:00 or 02:00 Paris time).
 */
export class ClaimOccurredTimeKnown1768000000000 implements MigrationInterface {
  name = 'ClaimOccurredTimeKnown1768000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table sinistres add column heure_connue boolean not null default true`);
    await q.query(
      `update sinistres set heure_connue = false where date_sinistre = date_trunc('day', date_sinistre)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table sinistres drop column heure_connue`);
  }
}
