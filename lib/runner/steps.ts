// Where a turn's time goes between the claim and the first model token, for the sessions bench
// (bench/sessions.ts): with CONSOLE_RUNNER_STEPS=1 in the console's environment the worker notes
// when it got the job and the claim, hands those to the runner with its run, and the runner adds its
// own steps and appends one line per run to <session dir>/runner-steps.jsonl. Wall-clock ms (one
// machine, one clock), so they line up with the events' processed_at. Off by default: nothing is written.
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

export const RUNNER_STEPS_FILE = "runner-steps.jsonl";

/** Step name → Date.now() when it happened. */
export const runnerStepsSchema = z.record(z.string().max(40), z.number());
export type RunnerSteps = z.infer<typeof runnerStepsSchema>;

/** One run's line in the file. */
export const runnerStepsLineSchema = z.strictObject({ run_id: z.string(), steps: runnerStepsSchema });

/** Whether this console process records steps (the bench turns it on). */
export function stepsWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CONSOLE_RUNNER_STEPS === "1";
}

/** Notes steps when on; a no-op recorder when off. */
export class StepRecorder {
  readonly steps: RunnerSteps | null;

  constructor(initial: RunnerSteps | null | undefined) {
    this.steps = initial ? { ...initial } : null;
  }

  mark(step: string): void {
    if (this.steps && this.steps[step] === undefined) this.steps[step] = Date.now();
  }

  private written = false;

  /** Appends the run's steps to the session directory's file, once (its first turn's); never fails the run. */
  write(home: string, runId: string): void {
    if (!this.steps || this.written) return;
    this.written = true;
    try {
      appendFileSync(join(home, RUNNER_STEPS_FILE), `${JSON.stringify({ run_id: runId, steps: this.steps })}\n`);
    } catch {
      // a measurement aid only
    }
  }
}
