import type { ProjectedNode } from "@dealgraph/graph";
import { embeddingStorageOf, encodeEmbedding, upsertTogether, withTenant, type Database, type EmbeddingStorage, type RowsUpsert } from "@dealgraph/store";
import { inSpan } from "@dealgraph/telemetry";
import type { Kysely, Transaction } from "kysely";
import { interactionUpsert, type InteractionSide } from "./interaction-row";

/** A node's two embeddings as the columns `column` and `column_current`, encoded for the column type the database has. */
export type VectorColumns = (node: Pick<ProjectedNode<string>, "embedding" | "embeddingCurrent">, column?: string) => Record<string, string | null>;

/**
 * Work of the caller's in the projection's own transaction, after its rows are written (the
 * worker records the run done there), given what each layer knows by then (the projection's
 * counts, the run, the pipeline's result): it commits with the projection or not at all.
 */
export type InProjection<Given> = (trx: Transaction<Database>, given: Given) => Promise<void>;

/** What a projection writes: nodes read from one tenant's graph, and the envelope's interaction (null: the nodes only). */
export type ProjectionInput<Nodes> = { tenantId: string; interaction: Record<string, unknown> | null } & Nodes;

/**
 * The frame of every pipeline's projection: one tenant-scoped transaction that upserts the
 * interaction's row (when the graph gave one) beside the pipeline's `upserts`, so the counts
 * always say how many `interactions` rows it wrote, and that tells the CRM front end
 * (`dealgraph_projection`) which records it wrote, at commit. Rows and notices go in one
 * statement (upsertTogether), so a projection costs the same few round trips however many
 * tables it writes. Embeddings are encoded inside it because their column type (pgvector's
 * `vector` or `real[]`) is only known once the database is asked, which is done once per writer.
 */
export abstract class ProjectionWriter<Nodes, Counts extends { interactions: number }> {
  private readonly storage: () => Promise<EmbeddingStorage>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly side: InteractionSide,
  ) {
    this.storage = embeddingStorageOf(db as Kysely<unknown>);
  }

  /** The pipeline's rows of `input` by table, each name one of its counts; no two may write one table. */
  protected abstract upserts(input: ProjectionInput<Nodes>, vectors: VectorColumns): Record<Exclude<keyof Counts, "interactions">, RowsUpsert>;

  /** The graph ids of the records `input` projects, by kind (`opportunity`, `action_item`, ...), for the notification. */
  protected abstract projectedIds(input: ProjectionInput<Nodes>): Record<string, readonly string[]>;

  async project(input: ProjectionInput<Nodes>, alongside?: InProjection<Counts>): Promise<Counts> {
    const storage = await this.storage();
    const vectors: VectorColumns = (node, column = "embedding") => ({
      [column]: encodeEmbedding(storage, node.embedding),
      [`${column}_current`]: encodeEmbedding(storage, node.embeddingCurrent),
    });
    return inSpan("postgres projection", { "db.system.name": "postgresql", "dealgraph.pipeline": this.side, tenant_id: input.tenantId }, () =>
      this.write(input, vectors, alongside),
    );
  }

  private write(input: ProjectionInput<Nodes>, vectors: VectorColumns, alongside: InProjection<Counts> | undefined): Promise<Counts> {
    return withTenant(this.db, input.tenantId, async (trx) => {
      const interactions = input.interaction ? interactionUpsert(input.interaction, this.side) : { table: "interactions", rows: [], rule: { key: [] } };
      const interactionIds = input.interaction ? [String(input.interaction.interaction_id)] : [];
      const counts = (await upsertTogether(
        trx,
        { interactions, ...this.upserts(input, vectors) },
        { tenantId: input.tenantId, idsByKind: { interaction: interactionIds, ...this.projectedIds(input) } },
      )) as unknown as Counts;
      await alongside?.(trx, counts);
      return counts;
    });
  }
}
