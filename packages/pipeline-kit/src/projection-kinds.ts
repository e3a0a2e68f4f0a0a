import type { GraphName } from "@dealgraph/config";
import { readProcessedInteractions } from "@dealgraph/graph";
import { withTenant, type Database } from "@dealgraph/store";
import type { Transaction } from "kysely";
import { interactionColumns, interactionRow, upsertInteractionRow, type InteractionSide } from "./interaction-row";
import type { ColumnKind, OrphanCheck, ProjectionKind } from "./projection-kind";

/** Rows a removal deleted or detached. */
export const affectedRows = (result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }) => Number(result.numUpdatedRows ?? result.numDeletedRows ?? 0);

/**
 * The version snapshots of a versioned kind: projected with their parent, compared on `columns`,
 * removed one by one. A version without a parent is a graph orphan (see `versionOrphanCheck`),
 * not a projection gap, so the graph side counts only versions that have one.
 */
export function versionKind(spec: {
  kind: string;
  graph: GraphName;
  label: string;
  table: keyof Database & string;
  columns: Record<string, ColumnKind>;
  rowOf(properties: Record<string, unknown>): Record<string, unknown>;
  parent: { kind: string; idProperty: string };
}): ProjectionKind {
  return {
    ...spec,
    idProperty: "version_id",
    graphWhere: "EXISTS { ()-[:HAS_VERSION]->(n) }",
    idColumn: "version_id",
    revisionColumn: "graph_revision",
    async removeExtras(trx, ids) {
      const db = trx as unknown as Transaction<Record<string, { version_id: string }>>;
      return affectedRows(
        await db
          .deleteFrom(spec.table)
          .where("version_id", "in", [...ids])
          .executeTakeFirst(),
      );
    },
  };
}

/** Graph damage of a versioned label: versions no node points at. */
export const versionOrphanCheck = (name: string, graph: GraphName, versionLabel: string): OrphanCheck => ({
  name,
  graph,
  match: `MATCH (n:${versionLabel} {tenant_id: $tenantId}) WHERE NOT ()-[:HAS_VERSION]->(n)`,
  idProperty: "version_id",
});

/**
 * One pipeline's side of the shared `interactions` rows: the interactions it stamped, compared
 * on its count, re-projected from the graph's Interaction nodes, and cleared (not deleted: the
 * other pipeline's side may stand) when the graph holds no such interaction.
 */
export function interactionKind(kind: string, side: InteractionSide, graph: GraphName): ProjectionKind {
  const columns = interactionColumns(side);
  return {
    kind,
    graph,
    label: "Interaction",
    idProperty: "interaction_id",
    graphWhere: "n.processed_at IS NOT NULL",
    table: "interactions",
    idColumn: "interaction_id",
    sqlWhere: `${columns.processedAt} IS NOT NULL`,
    columns: { [columns.count]: "int", account_id: "text" },
    revisionColumn: columns.revision,
    rowOf: (p) => interactionRow(p, side) as Record<string, unknown>,
    backfill: true,
    async reproject({ graph: client, db }, tenantId, ids) {
      const interactions = await readProcessedInteractions(client, tenantId, ids);
      await withTenant(db, tenantId, async (trx) => {
        for (const interaction of interactions) await upsertInteractionRow(trx, interaction, side);
      });
      return interactions.length;
    },
    async removeExtras(trx, ids) {
      const cleared = { [columns.count]: null, [columns.processedAt]: null };
      return affectedRows(
        await trx
          .updateTable("interactions")
          .set(cleared)
          .where("interaction_id", "in", [...ids])
          .executeTakeFirst(),
      );
    },
  };
}

/**
 * Deletes an entity's rows and its provenance links (`interaction_links` of `entityType`): the
 * removal of entities the graph does not hold. Answers how many entity rows went.
 */
export async function deleteWithLinks(
  trx: Transaction<Database>,
  entity: { table: keyof Database & string; idColumn: string; entityType: "deal" | "action_item" | "topic" | "owner" },
  ids: readonly string[],
): Promise<number> {
  const list = [...ids];
  await trx.deleteFrom("interaction_links").where("entity_type", "=", entity.entityType).where("entity_id", "in", list).execute();
  const db = trx as unknown as Transaction<Record<string, Record<string, string>>>;
  return affectedRows(await db.deleteFrom(entity.table).where(entity.idColumn, "in", list).executeTakeFirst());
}
