import type { GraphName } from "@dealgraph/config";
import type { GraphClient } from "@dealgraph/graph";
import type { Database } from "@dealgraph/store";
import type { Kysely, Transaction } from "kysely";

/** How a column's values are compared: `real` columns hold single precision, so they are rounded first. */
export type ColumnKind = "text" | "int" | "real";

/**
 * One kind of entity a pipeline projects into Postgres, as the reconciler and backfill see it:
 * where it lives in the graph, which rows hold it, which projected columns its content hash
 * covers, and how to mend it. Labels, properties, tables and columns are constants of the
 * pipeline that declares the kind, never data; tenant ids and paging values are parameters.
 */
export interface ProjectionKind {
  /** Unique across every registered pipeline (`deals`, `action_item_versions`). */
  kind: string;
  graph: GraphName;
  label: string;
  idProperty: string;
  /** An extra condition on the node (`n`), e.g. only processed interactions. */
  graphWhere?: string;
  table: string;
  idColumn: string;
  /** An extra SQL condition on the row. */
  sqlWhere?: string;
  columns: Record<string, ColumnKind>;
  /**
   * Where the row keeps the graph revision it was projected from (migration 0008), for a kind
   * whose graph writes stamp revisions (`newRevision`): the reconciler then compares it by
   * checksummed ranges. Without one, every row is compared.
   */
  revisionColumn?: string;
  /** The projection's own row function, so the hash compares what Postgres holds with what the projection would write now. */
  rowOf(properties: Record<string, unknown>): Record<string, unknown>;
  /** Versions are projected with their parent: the parent's kind and the property naming it. */
  parent?: { kind: string; idProperty: string };
  /** Streamed by a backfill (the kinds projected with others are left to them). */
  backfill?: boolean;
  /**
   * Projects these entities again from the graph, exactly as a live run would; answers how
   * many the graph holds. A kind with a `parent` has none: its parent is projected instead.
   */
  reproject?(ports: ProjectionPorts, tenantId: string, ids: readonly string[]): Promise<number>;
  /** Removes (or, where the CRM shares the row, detaches) rows whose entity the graph does not hold; answers how many. */
  removeExtras(trx: Transaction<Database>, ids: readonly string[]): Promise<number>;
}

/** What a kind's repair reads and writes: its pipeline's graph and the projection. */
export interface ProjectionPorts {
  graph: GraphClient;
  db: Kysely<Database>;
  /** Another kind of the same pipeline, re-projected (owners are projected with the items they own). */
  reprojectKind(kind: string, tenantId: string, ids: readonly string[]): Promise<number>;
}

/** Graph-side damage the projection cannot mend: reported (ids capped, counts exact), never "repaired". */
export interface OrphanCheck {
  name: string;
  graph: GraphName;
  /** Cypher over `n`, constant text; the tenant is a parameter. */
  match: string;
  idProperty: string;
}
