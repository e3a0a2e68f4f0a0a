import { createHash } from "node:crypto";
import type { Queue } from "bullmq";
import { z } from "zod";

/**
 * A job on the reconciler's queue: a reconcile (the schedule's, with no data, covers every
 * tenant), a backfill, or a refresh of risk signals (of every account with deals, or of one),
 * of one tenant or all. Operators add them with `--queue`; the reconciler
 * runs them one at a time and reports progress through BullMQ (Bull Board shows it).
 */
export const maintenanceJobSchema = z
  .strictObject({
    kind: z.enum(["reconcile", "backfill", "risk_signals"]).default("reconcile"),
    tenant_id: z.uuid().optional(),
    /** risk_signals: only this account of the tenant. */
    account_id: z.string().min(1).max(256).optional(),
    /** reconcile: mend the projection (default: RECONCILE_REPAIR). */
    repair: z.boolean().optional(),
    /** reconcile: compare every row instead of checksummed ranges. */
    full: z.boolean().optional(),
    /** backfill: only entities changed since then (ISO-8601). */
    since: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((job) => job.account_id === undefined || (job.kind === "risk_signals" && job.tenant_id !== undefined), {
    path: ["account_id"],
    message: "Only a risk_signals job of one tenant names an account",
  });
export type MaintenanceJob = z.infer<typeof maintenanceJobSchema>;

/**
 * Queues a reconcile, a backfill or a risk-signal refresh. While one of the same kind and tenant is waiting or running, a
 * second is not added (BullMQ deduplication): the answer is the job already there. A job a
 * restart interrupts is retried, and a backfill resumes from its checkpoints.
 */
export async function enqueueMaintenance(queue: Queue, input: z.input<typeof maintenanceJobSchema>): Promise<{ id: string }> {
  const job = maintenanceJobSchema.parse(input);
  const added = await queue.add(job.kind, job, {
    deduplication: { id: [job.kind, job.tenant_id ?? "all", ...(job.account_id ? [job.account_id] : [])].join(".") },
    attempts: 3,
    backoff: { type: "exponential", delay: 10_000 },
    removeOnComplete: 100,
    removeOnFail: 100,
  });
  return { id: String(added.id) };
}

/**
 * Queues a refresh of one account's risk signals after a pipeline applied an envelope of it.
 * One job per run (its id derives from the run, so a redelivered job adds nothing): a refresh
 * already running when the write landed would not see it, so runs are not folded together.
 */
export async function enqueueRiskRefresh(queue: Queue, run: { tenantId: string; accountId: string; pipeline: string; interactionId: string }): Promise<void> {
  const job = maintenanceJobSchema.parse({ kind: "risk_signals", tenant_id: run.tenantId, account_id: run.accountId });
  const id = createHash("sha256")
    .update(JSON.stringify([run.tenantId, run.accountId, run.pipeline, run.interactionId]))
    .digest("hex")
    .slice(0, 32);
  await queue.add(job.kind, job, {
    jobId: `risk_signals.${id}`,
    attempts: 3,
    backoff: { type: "exponential", delay: 5_000 },
    removeOnComplete: { age: 3_600, count: 1_000 },
    removeOnFail: 100,
  });
}
