import type { ManagedTransaction, Record as Neo4jRecord } from "neo4j-driver";
import { factParameters, type InteractionFacts } from "./interaction-writes";
import { plainProperties } from "./plain-values";
import { propertiesFromPairs } from "./vector-free-properties";
import { assertAllApplied, createNodesCypher, readForProjectionCypher, versionedUpdateCypher, type VersionedLabel } from "./versioned-update";

/** A row of a create statement's `$rows`: the node's id, properties and embedding, plus whatever the statement's rest reads. */
export interface NewNodeRow {
  id: string;
  properties: Record<string, unknown>;
  embedding: number[];
  [more: string]: unknown;
}

/** A versioned node as the projection needs it: plain properties (ISO timestamps), both embeddings, history, provenance. */
export interface ProjectedNode<Relation extends string = "created" | "updated" | "mentioned"> {
  properties: Record<string, unknown>;
  embedding: number[] | null;
  embeddingCurrent: number[] | null;
  versions: Array<Record<string, unknown>>;
  links: Array<{ interaction_id: string; relation: Relation }>;
}

export interface VersionedNodesSpec {
  label: VersionedLabel;
  /** The relationship from a node to the interactions that created, changed or mentioned it. */
  linkType: string;
  /** What a node is called in messages ("deal"). */
  noun: string;
  /** Continues the create statement over `n` and `d` (more links); see createNodesCypher. */
  createRest?: string;
  /**
   * The label's merge statement over `$merges`, given the label's versioned update (see
   * versionedUpdateCypher) to run on each node `n` and row `m`; returns the ids it applied as `id`.
   */
  merge: (versionedUpdate: string) => string;
  /** More columns the projection read returns; see readForProjectionCypher. */
  projectionExtra?: string;
}

/**
 * The three statements every versioned label runs the same way: create what an envelope found
 * new, merge what it matched, read nodes back for the projection. Each runs with the envelope's
 * facts as parameters; the Cypher is built once, from code.
 */
export class VersionedNodes<Node extends ProjectedNode<string> = ProjectedNode> {
  private readonly createCypher: string;
  private readonly mergeCypher: string;
  private readonly projectionCypher: string;

  constructor(private readonly spec: VersionedNodesSpec) {
    this.createCypher = createNodesCypher(spec.label, spec.linkType, spec.createRest);
    this.mergeCypher = spec.merge(versionedUpdateCypher(spec.label));
    this.projectionCypher = readForProjectionCypher(spec.label, spec.linkType, spec.projectionExtra);
  }

  async create(tx: ManagedTransaction, facts: InteractionFacts, rows: readonly NewNodeRow[]): Promise<void> {
    if (rows.length === 0) return;
    await tx.run(this.createCypher, { ...factParameters(facts), rows: [...rows] });
  }

  /**
   * Runs the merge over `merges` (rows made by mergeParameters) and throws a (retryable)
   * ConflictError, rolling the transaction back, when any row did not apply: its node changed
   * since it was read or already carries this interaction.
   */
  async merge(tx: ManagedTransaction, facts: InteractionFacts, merges: ReadonlyArray<{ id: string }>): Promise<void> {
    if (merges.length === 0) return;
    const result = await tx.run(this.mergeCypher, { ...factParameters(facts), merges: [...merges] });
    assertAllApplied(
      this.spec.noun,
      merges.map((m) => m.id),
      result.records.map((r) => String(r.get("id"))),
    );
  }

  /** Nodes by id as the projection needs them; `more` decodes what `projectionExtra` returned. */
  async readForProjection(
    tx: ManagedTransaction,
    tenantId: string,
    ids: readonly string[],
    more: (record: Neo4jRecord) => Omit<Node, keyof ProjectedNode<string>>,
  ): Promise<Node[]> {
    if (ids.length === 0) return [];
    const result = await tx.run(this.projectionCypher, { tenantId, ids: [...ids] });
    return result.records.map(
      (r) =>
        ({
          properties: plainProperties(propertiesFromPairs(r.get("properties"))),
          embedding: r.get("embedding") as number[] | null,
          embeddingCurrent: r.get("embeddingCurrent") as number[] | null,
          versions: (r.get("versions") as Array<Record<string, unknown>>).map(plainProperties),
          links: r.get("links") as Node["links"],
          ...more(r),
        }) as Node,
    );
  }
}

/** An Interaction node's properties and, per list the statement collected, the ids linked to it (sorted); null when the interaction is not in the graph. */
export async function readInteractionWithIds<Lists extends string>(
  tx: ManagedTransaction,
  cypher: string,
  tenantId: string,
  interactionId: string,
  lists: readonly Lists[],
): Promise<({ properties: Record<string, unknown> } & Record<Lists, string[]>) | null> {
  const result = await tx.run(cypher, { tenantId, interactionId });
  const row = result.records[0];
  if (!row) return null;
  const ids = Object.fromEntries(lists.map((list) => [list, (row.get(list) as string[]).slice().sort()])) as Record<Lists, string[]>;
  return { properties: plainProperties(row.get("interaction") as Record<string, unknown>), ...ids };
}
