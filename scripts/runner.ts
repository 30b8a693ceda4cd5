/**
 * `npm run runner`: run workers on any machine, next to a console on PostgreSQL. They take jobs from
 * the console database's pg-boss queue and talk to the console over HTTP only (CONSOLE_URL); they
 * need no master key and no API key: each job's claim token is exchanged for the run's own key.
 *
 *   CONSOLE_URL         the console, as this machine reaches it (required)
 *   DATABASE_URL        the console's PostgreSQL database, for the queue (required)
 *   CONSOLE_RUNNERS     runs worked at once (default 4)
 *   CONSOLE_RUNNER_POOL runners kept started ahead of their runs (default 2, at most CONSOLE_RUNNERS; 0 for none)
 *   CONSOLE_RUNNER_DIR  where each session's working directory goes (default ./.data/runs)
 */
import { hostname } from "node:os";
import path from "node:path";
import { z } from "zod";
import { DEFAULT_RUNNERS, runnerCount } from "@/lib/env";
import { componentLog } from "@/lib/ops/logger";
import { createPgBossRunQueue } from "@/lib/runner/pg-boss-queue";
import { runnerLauncher, warmPoolSize } from "@/lib/runner/runner-launcher";
import { createRunWorker } from "@/lib/runner/worker";

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const runnerEnvSchema = z.object({
  CONSOLE_URL: z.url({ protocol: /^https?$/, error: "is required: the console's URL as this machine reaches it, e.g. http://console.internal:3000" }),
  DATABASE_URL: z
    .string({
      error:
        "is required: workers on other machines take jobs from the console's PostgreSQL queue; an embedded (PGlite) console runs its workers in its own process (CONSOLE_RUNNERS)",
    })
    .regex(/^postgres(ql)?:\/\//, "must be the console's postgres:// or postgresql:// URL (an embedded console runs its workers itself)"),
  CONSOLE_RUNNERS: optional(runnerCount).transform((value) => value ?? DEFAULT_RUNNERS),
  CONSOLE_RUNNER_POOL: optional(runnerCount),
  CONSOLE_RUNNER_DIR: optional(z.string()).transform((value) => path.resolve(value ?? ".data/runs")),
});

async function main(): Promise<void> {
  const parsed = runnerEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    console.error(`Cannot start the runner:\n${parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n")}`);
    process.exit(1);
  }
  const env = parsed.data;
  if (env.CONSOLE_RUNNERS === 0) {
    console.error("Cannot start the runner: CONSOLE_RUNNERS is 0, so it would work no run");
    process.exit(1);
  }
  const consoleUrl = new URL(env.CONSOLE_URL).origin;
  const queue = await createPgBossRunQueue(env.DATABASE_URL, (error) => componentLog("runs").warn(`queue: ${error.message}`));
  // The egress port is the console's, which this machine learns from the first claim: the pool fills from then on.
  const warm = warmPoolSize(env.CONSOLE_RUNNERS, env.CONSOLE_RUNNER_POOL);
  const launcher = runnerLauncher({ consoleUrl, workRoot: env.CONSOLE_RUNNER_DIR, isolate: process.getuid?.() === 0, warm });
  const worker = await createRunWorker({
    consoleUrl,
    jobs: queue,
    concurrency: env.CONSOLE_RUNNERS,
    launch: launcher.launch,
    workerId: `${hostname()}:${process.pid}`,
  });
  console.log(`Runner ready: ${env.CONSOLE_RUNNERS} run(s) at once for ${consoleUrl} (${warm} kept warm after the first), work root ${env.CONSOLE_RUNNER_DIR}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received; finishing the runs in progress…`);
    await worker.stop();
    await launcher.stop();
    await queue.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error("Cannot start the runner:", error);
  process.exit(1);
});
