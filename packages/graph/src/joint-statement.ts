import type { GraphTransaction } from "./graph-client";

/** The one parameter a joint statement's values travel in. */
const VALUES = "joint";

/**
 * The statements of one transaction joined into one statement, so that an envelope's write (the
 * Interaction and its stamp, every kind of record created or merged, and the read-back of what
 * the projection needs) costs one round trip and the commit, however many kinds it writes.
 *
 * Each part is a complete statement whose rows have one column, `row`; it runs as a subquery in
 * the order given, on the one row the statement starts with, so each part sees what the earlier
 * ones wrote, and its rows come back collected as a list under the part's name. Names and parts
 * are code (the repositories' constants), never data; every value travels as a parameter.
 *
 * The parts' parameters all travel inside one map parameter (`$tenantId` is run as
 * `$joint.tenantId`). Neo4j keeps a plan per combination of top-level parameter types and
 * list and string size classes; an envelope's lists are empty or not and its strings of every
 * length, so top-level values would have the statement planned again for each new combination,
 * which for a statement of this size takes about half a second. A map parameter is one type:
 * the statement is planned once.
 */
export class JointStatement {
  readonly cypher: string;

  constructor(parts: Readonly<Record<string, string>>) {
    const names = Object.keys(parts);
    for (const name of names) if (!/^[a-z][A-Za-z]*$/.test(name)) throw new Error(`JointStatement: "${name}" is not a plain name`);
    const subqueries = names.map((name) => `CALL () {\n  CALL () {${indent(inMap(parts[name] ?? ""))}\n  }\n  RETURN collect(row) AS ${name}\n}`);
    this.cypher = `${subqueries.join("\n")}\nRETURN ${names.join(", ")}`;
  }

  /** Runs the statement in `tx` with the parts' parameters; answers each part's list of rows by name. */
  async run(tx: GraphTransaction, values: Record<string, unknown>): Promise<Record<string, unknown[]>> {
    const result = await tx.run(this.cypher, { [VALUES]: values });
    return (result.records[0]?.toObject() ?? {}) as Record<string, unknown[]>;
  }
}

const inMap = (cypher: string) => cypher.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, `$${VALUES}.$1`);
const indent = (cypher: string) => cypher.replaceAll("\n", "\n    ");
