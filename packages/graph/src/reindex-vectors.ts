import { applyGraphSchema } from "./apply-graph-schema";
import type { GraphClient } from "./graph-client";
import { GRAPH_SCHEMAS, vectorIndexName } from "./graph-schema";
import type { GraphName } from "@dealgraph/config";

/*
 * Moving a graph to another embedding model (another vector size): drop the vector indexes built
 * for the old size, create them for the new one, and re-embed every node that carries vectors
 * from the text the pipelines embed for it. Both vectors get the new embedding (the original one
 * is only comparable with vectors of its own model). Labels and texts are constants here; the
 * nodes are paged by element id so that any number of tenants fits in memory.
 */

/** What the pipelines embed for each label with vectors (DESIGN §5, §6). */
const EMBEDDED_TEXT: Record<string, string> = {
  Deal: "coalesce(n.name, '') + ': ' + coalesce(n.summary, '')",
  ActionItem: "coalesce(n.text, '')",
  Topic:
    "coalesce(n.name, '') + ': ' + reduce(acc = '', t IN COLLECT { MATCH (i:ActionItem)-[:BELONGS_TO]->(n) RETURN i.text } | acc + CASE acc WHEN '' THEN '' ELSE '; ' END + t)",
};

const PAGE = 256;

export interface ReindexPlan {
  /** Vector indexes whose size differs from the one asked for. */
  mismatched: Array<{ name: string; dimensions: number }>;
  /** Nodes per label that carry vectors and would be re-embedded. */
  nodes: Record<string, number>;
}

export async function planReindex(client: GraphClient, kind: GraphName, dimension: number): Promise<ReindexPlan> {
  const expected = new Set(GRAPH_SCHEMAS[kind].vectors.map((v) => vectorIndexName(v.label, v.property)));
  const rows = await client.runSchemaCommand("SHOW VECTOR INDEXES YIELD name, options RETURN name, options.indexConfig.`vector.dimensions` AS dimensions");
  const mismatched = rows
    .filter((row) => expected.has(String(row.name)) && Number(row.dimensions) !== dimension)
    .map((row) => ({ name: String(row.name), dimensions: Number(row.dimensions) }));
  const nodes: Record<string, number> = {};
  for (const label of labelsOf(kind)) {
    nodes[label] = await client.read(async (tx) => Number((await tx.run(`MATCH (n:${label}) RETURN count(n) AS n`)).records[0]?.get("n") ?? 0));
  }
  return { mismatched, nodes };
}

function labelsOf(kind: GraphName): string[] {
  return [...new Set(GRAPH_SCHEMAS[kind].vectors.map((v) => v.label))];
}

/** Drops the mismatched vector indexes and applies the schema again at `dimension`. */
export async function rebuildVectorIndexes(client: GraphClient, kind: GraphName, dimension: number, plan: ReindexPlan): Promise<void> {
  for (const index of plan.mismatched) {
    // The name comes from the schema's own list (checked in planReindex), never from input.
    await client.runSchemaCommand(`DROP INDEX ${index.name} IF EXISTS`);
  }
  await applyGraphSchema(client, kind, dimension);
}

/** Re-embeds every node of the graph's vector labels; returns how many were written per label. */
export async function reembedNodes(
  client: GraphClient,
  kind: GraphName,
  embed: (texts: string[]) => Promise<number[][]>,
  onProgress: (label: string, done: number) => void = () => undefined,
): Promise<Record<string, number>> {
  const written: Record<string, number> = {};
  for (const label of labelsOf(kind)) {
    const text = EMBEDDED_TEXT[label];
    if (!text) throw new Error(`no embedding text is defined for ${label}`);
    let after = "";
    written[label] = 0;
    for (;;) {
      const page = await client.read(async (tx) => {
        const result = await tx.run(
          `MATCH (n:${label}) WHERE elementId(n) > $after WITH n ORDER BY elementId(n) LIMIT ${PAGE} RETURN elementId(n) AS id, ${text} AS text`,
          { after },
        );
        return result.records.map((r) => ({ id: r.get("id") as string, text: r.get("text") as string }));
      });
      if (page.length === 0) break;
      const vectors = await embed(page.map((p) => p.text));
      await client.write((tx) =>
        tx.run(
          `UNWIND $rows AS row
           MATCH (n:${label}) WHERE elementId(n) = row.id
           CALL db.create.setNodeVectorProperty(n, 'embedding', row.vector)
           CALL db.create.setNodeVectorProperty(n, 'embedding_current', row.vector)
           SET n.embedding_revised = false`,
          { rows: page.map((p, i) => ({ id: p.id, vector: vectors[i] })) },
        ),
      );
      written[label] += page.length;
      after = page[page.length - 1]!.id;
      onProgress(label, written[label]);
    }
  }
  return written;
}
