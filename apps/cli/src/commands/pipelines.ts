import { pipelines } from "@dealgraph/pipelines";
import { pipelineQueues } from "@dealgraph/queues";
import type { Command } from "commander";
import type { CliContext } from "../cli-context";

/** One registered pipeline as the scripts and an operator see it. */
export interface PipelineListing {
  name: string;
  graph: string;
  worker: string;
  /** The health, readiness and metrics port its worker listens on. */
  port: number;
  queue: string;
}

export function listPipelines(context: CliContext): PipelineListing[] {
  const config = context.config();
  return pipelines.modules.map((module) => ({
    name: module.name,
    graph: module.graph,
    worker: module.workerName,
    port: module.healthPort(config),
    queue: pipelineQueues(module.name).queue,
  }));
}

export function registerPipelines(program: Command, context: CliContext): void {
  program
    .command("pipelines")
    .description("List the registered pipelines (built-in and PIPELINE_MODULES): graph, worker, health port, queue")
    .option("--json", "print JSON")
    .option("--workers", "print `name port` per pipeline, one a line (what scripts/lib/fleet.sh reads)")
    .action((options: { json?: boolean; workers?: boolean }) => {
      const listed = listPipelines(context);
      if (options.json) console.log(JSON.stringify(listed, null, 2));
      else if (options.workers) for (const p of listed) console.log(`${p.name} ${p.port}`);
      else for (const p of listed) console.log(`${p.name.padEnd(16)} graph ${p.graph.padEnd(13)} ${p.worker.padEnd(22)} port ${p.port}  queue ${p.queue}`);
    });
}
