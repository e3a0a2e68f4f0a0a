import type { Neo4jConnectionConfig } from "@dealgraph/config";
import type { Logger } from "@dealgraph/logging";
import neo4j, { type Driver, type ManagedTransaction, type Session } from "neo4j-driver";

/** A read or write transaction of one graph, as repositories receive it. */
export type GraphTransaction = ManagedTransaction;
import { toGraphError } from "./graph-error";
import { SpanKind, inSpan } from "@dealgraph/telemetry";

export interface GraphClientOptions {
  /** A name for logs and errors: `action_items-graph` or `deals-graph`. */
  name: string;
  logger?: Logger;
  /** How long the driver keeps retrying a transaction that failed transiently. */
  maxTransactionRetryMs?: number;
  maxConnectionPoolSize?: number;
}

/**
 * One Neo4j database behind managed transactions. `read` and `write` hand the work function to
 * the driver's executeRead/executeWrite, which re-run it on transient failures (deadlocks,
 * leader switches, dropped connections) with backoff, so work functions must be idempotent
 * within their transaction: they only issue queries, with no side effects outside it.
 */
export class GraphClient {
  private statements = 0;
  private transactions = 0;

  private constructor(
    private readonly driver: Driver,
    private readonly database: string,
    readonly name: string,
  ) {}

  static connect(config: Neo4jConnectionConfig, options: GraphClientOptions): GraphClient {
    const driver = neo4j.driver(config.uri, neo4j.auth.basic(config.user, config.password), {
      // Plain JS numbers: counts, scores and dimensions here never approach 2^53.
      disableLosslessIntegers: true,
      maxTransactionRetryTime: options.maxTransactionRetryMs ?? 30_000,
      maxConnectionPoolSize: options.maxConnectionPoolSize ?? 50,
      connectionAcquisitionTimeout: 30_000,
      userAgent: `dealgraph/${options.name}`,
      logging: options.logger
        ? {
            level: "warn",
            logger: (level, message) => options.logger?.[level === "error" ? "error" : "warn"]({ graph: options.name }, message),
          }
        : undefined,
    });
    return new GraphClient(driver, config.database, options.name);
  }

  async read<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    return inSpan(
      "neo4j read",
      this.spanAttributes(),
      () => this.withSession("READ", "read", (session) => session.executeRead((tx) => this.counted(tx, work))),
      SpanKind.CLIENT,
    );
  }

  async write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    return inSpan(
      "neo4j write",
      this.spanAttributes(),
      () => this.withSession("WRITE", "write", (session) => session.executeWrite((tx) => this.counted(tx, work))),
      SpanKind.CLIENT,
    );
  }

  private spanAttributes() {
    return { "db.system.name": "neo4j", "db.namespace": this.database, "dealgraph.graph": this.name };
  }

  /**
   * Round trips to the server so far (retried attempts included), for the workers' metrics: one
   * per statement (the driver sends BEGIN with the first) and one per commit.
   */
  roundTrips(): number {
    return this.statements + this.transactions;
  }

  private counted<T>(tx: ManagedTransaction, work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    this.transactions++;
    const run: ManagedTransaction["run"] = (query, parameters) => {
      this.statements++;
      return tx.run(query, parameters);
    };
    return work(Object.assign(Object.create(tx) as ManagedTransaction, { run }));
  }

  /**
   * Runs one statement outside an explicit transaction. Only for schema commands, which Neo4j
   * refuses to mix with data writes in one transaction.
   */
  async runSchemaCommand(cypher: string): Promise<Array<Record<string, unknown>>> {
    return this.withSession("WRITE", "schema command", async (session) => {
      const result = await session.run(cypher);
      return result.records.map((record) => record.toObject());
    });
  }

  /** Resolves when the server answers a query; rejects with a GraphError otherwise. */
  async ping(): Promise<void> {
    await this.read((tx) => tx.run("RETURN 1"));
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  private async withSession<T>(mode: "READ" | "WRITE", what: string, use: (session: Session) => Promise<T>): Promise<T> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session[mode] });
    try {
      return await use(session);
    } catch (error) {
      throw toGraphError(error, `${this.name} ${what} failed`);
    } finally {
      await session.close();
    }
  }
}
