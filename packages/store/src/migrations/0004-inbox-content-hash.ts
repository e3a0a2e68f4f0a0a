import { sql, type Migration } from "kysely";

/**
 * Each accepted envelope's content hash (envelope-hash.ts), so that a repeat of an
 * interaction_id is told from a different envelope under the same id. Rows accepted before this
 * migration have none; a repeat of one of them is compared with its stored envelope instead.
 */
export function inboxContentHash(): Migration {
  return {
    async up(db) {
      await sql`alter table inbox add column content_hash text`.execute(db);
    },
    async down(db) {
      await sql`alter table inbox drop column if exists content_hash`.execute(db);
    },
  };
}
