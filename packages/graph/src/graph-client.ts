import type { Neo4jConnectionConfig } from "@dealgraph/config";
import type { Logger } from "@dealgraph/logging";
import { SpanKind, inSpan } from "@dealgraph/telemetry";
import neo4j, { type Driver, type ManagedTransaction, type Session } from "neo4j-driver";
import { setTimeout as sleep } from "node:timers/promises";
import { GraphError, toGraphError } from "./graph-error";

/** A transaction of one graph as repositories receive it: something statements run in. */
export type GraphTransaction = Pick<ManagedTransaction, "run">;

/** The first wait before a one-statement read is tried again; each later wait doubles. */
const READ_RETRY_FIRST_DELAY_MS = 100;

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
    private readonly maxRetryMs: number,
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
    return new GraphClient(driver, config.database, options.name, options.maxTransactionRetryMs ?? 30_000);
  }

  async read<T>(work: (tx: GraphTransaction) => Promise<T>): Promise<T> {
    return inSpan(
      "neo4j read",
      this.spanAttributes(),
      () => this.withSession("READ", "read", (session) => session.executeRead((tx) => this.counted(tx, work))),
      SpanKind.CLIENT,
    );
  }

  async write<T>(work: (tx: GraphTransaction) => Promise<T>): Promise<T> {
    return inSpan(
      "neo4j write",
      this.spanAttributes(),
      () => this.withSession("WRITE", "write", (session) => session.executeWrite((tx) => this.counted(tx, work))),
      SpanKind.CLIENT,
    );
  }

  /**
   * A read of exactly one statement in an auto-commit transaction: one round trip, where a
   * managed read costs two (the statement, then its commit). For the pipelines' reads on the
   * path of every envelope (stage 0, the candidate search), which are one statement each. A
   * transient failure is tried again with a doubling wait for as long as `read` would; the work
   * function may run more than once, so it must only issue its statement. A second statement in
   * one call is a programming error and is refused: it would not share the first one's snapshot.
   */
  async readOne<T>(work: (tx: GraphTransaction) => Promise<T>): Promise<T> {
    return inSpan(
      "neo4j read",
      this.spanAttributes(),
      () =>
        this.withSession("READ", "read", async (session) => {
          const started = performance.now();
          for (let delay = READ_RETRY_FIRST_DELAY_MS; ; delay *= 2) {
            try {
              return await work(this.oneStatement(session));
            } catch (error) {
              if (!neo4j.isRetryableError(error) || performance.now() - started + delay > this.maxRetryMs) throw error;
              await sleep(delay);
            }
          }
        }),
      SpanKind.CLIENT,
    );
  }

  private oneStatement(session: Session): GraphTransaction {
    let ran = false;
    return {
      run: ((query: string, parameters?: Record<string, unknown>) => {
        if (ran) throw new GraphError(`${this.name}: readOne takes exactly one statement`, { cause: null, code: "GRAPH_MISUSE", retryable: false });
        ran = true;
        this.statements++;
        return session.run(query, parameters);
      }) as GraphTransaction["run"],
    };
  }

  private spanAttributes() {
    return { "db.system.name": "neo4j", "db.namespace": this.database, "dealgraph.graph": this.name };
  }

  /**
   * Round trips to the server so far (retried attempts included), for the workers' metrics: one
   * per statement (the driver sends BEGIN with the first, and an auto-commit read is its
   * statement alone) and one per commit.
   */
  roundTrips(): number {
    return this.statements + this.transactions;
  }

  private counted<T>(tx: ManagedTransaction, work: (tx: GraphTransaction) => Promise<T>): Promise<T> {
    this.transactions++;
    const run: GraphTransaction["run"] = (query, parameters) => {
      this.statements++;
      return tx.run(query, parameters);
    };
    return work({ run });
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
