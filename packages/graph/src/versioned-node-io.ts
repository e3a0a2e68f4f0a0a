import type { GraphTransaction } from "./graph-client";
import { plainProperties } from "./plain-values";
import { propertiesFromPairs } from "./vector-free-properties";
import {
  assertAllApplied,
  createNodesCypher,
  readForProjectionCypher,
  readLinkedForProjectionCypher,
  versionedUpdateCypher,
  type VersionedLabel,
} from "./versioned-update";

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
  /** Continues the create statement over `n` and `d` (more links), returning nothing; see createNodesCypher. */
  createRest?: string;
  /**
   * The label's merge statement over the parameter `merges` names, given the label's versioned
   * update (see versionedUpdateCypher) to run on each node `n` and row `m`; returns the ids it
   * applied as `row`.
   */
  merge: (versionedUpdate: string, merges: string) => string;
  /** More entries of the projection's map of a node (`key: expression`); see readForProjectionCypher. */
  projectionExtra?: string;
}

/**
 * What every versioned label runs the same way: create what an envelope found new, merge what it
 * matched, read nodes back for the projection. The create, the merge and the read of the nodes
 * linked to the interaction are parts of the envelope's one write statement (see
 * JointStatement); their parameters are named after the label, so that two labels' parts sit in
 * one statement. The Cypher is built once, from code.
 */
export class VersionedNodes<Node extends ProjectedNode<string> = ProjectedNode> {
  /** Creates the new nodes (`createParameters`); returns their ids. */
  readonly createPart: string;
  /** Merges into the matched nodes (`mergeParameters`); returns the ids it applied (see `checkMerged`). */
  readonly mergePart: string;
  /** Reads every node of the label linked to the interaction, as `decode` takes them. */
  readonly linkedPart: string;
  private readonly projectionCypher: string;
  private readonly rowsParameter: string;
  private readonly mergesParameter: string;

  constructor(private readonly spec: VersionedNodesSpec) {
    this.rowsParameter = `new${spec.label}Rows`;
    this.mergesParameter = `merged${spec.label}Rows`;
    this.createPart = createNodesCypher(spec.label, spec.linkType, this.rowsParameter, spec.createRest);
    this.mergePart = spec.merge(versionedUpdateCypher(spec.label), `$${this.mergesParameter}`);
    this.linkedPart = readLinkedForProjectionCypher(spec.label, spec.linkType, spec.projectionExtra);
    this.projectionCypher = readForProjectionCypher(spec.label, spec.linkType, spec.projectionExtra);
  }

  createParameters(rows: readonly NewNodeRow[]): Record<string, unknown> {
    return { [this.rowsParameter]: [...rows] };
  }

  /** `merges`: rows made by mergeParameters. */
  mergeParameters(merges: ReadonlyArray<{ id: string }>): Record<string, unknown> {
    return { [this.mergesParameter]: [...merges] };
  }

  /**
   * Throws a (retryable) ConflictError, rolling the transaction back, when a merge row did not
   * apply (`applied`: the ids the merge part returned): its node changed since it was read or
   * already carries this interaction.
   */
  checkMerged(merges: ReadonlyArray<{ id: string }>, applied: readonly unknown[]): void {
    assertAllApplied(
      this.spec.noun,
      merges.map((m) => m.id),
      applied.map(String),
    );
  }

  /** Nodes by id as the projection needs them; `more` decodes what `projectionExtra` added. */
  async readForProjection(
    tx: GraphTransaction,
    tenantId: string,
    ids: readonly string[],
    more: (row: Record<string, unknown>) => Omit<Node, keyof ProjectedNode<string>>,
  ): Promise<Node[]> {
    if (ids.length === 0) return [];
    const result = await tx.run(this.projectionCypher, { tenantId, ids: [...ids] });
    return this.decode(
      result.records.map((r) => r.get("row")),
      more,
    );
  }

  /** The projection's maps of nodes (readForProjection's rows, or the linked part's) as plain values. */
  decode(rows: readonly unknown[], more: (row: Record<string, unknown>) => Omit<Node, keyof ProjectedNode<string>>): Node[] {
    return rows.map((value) => {
      const row = value as Record<string, unknown>;
      return {
        properties: plainProperties(propertiesFromPairs(row.properties)),
        embedding: row.embedding as number[] | null,
        embeddingCurrent: row.embeddingCurrent as number[] | null,
        versions: (row.versions as Array<Record<string, unknown>>).map(plainProperties),
        links: row.links as Node["links"],
        ...more(row),
      } as Node;
    });
  }
}

/** An Interaction node's properties and, per list the statement collected, the ids linked to it (sorted); null when the interaction is not in the graph. */
export async function readInteractionWithIds<Lists extends string>(
  tx: GraphTransaction,
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
