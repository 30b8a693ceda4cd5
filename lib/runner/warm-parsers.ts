// zod builds a schema's parser on its first parse: 4–7 ms for a run's start on this machine, more
// with two cores busy, and each first parse sat on a turn's path (reading the start, taking the
// first inbox event, the first post's answer). A waiting runner parses a sample of each instead.
import {
  AGENT_TOOL_NAMES,
  inboxEventSchema,
  inboxResponseSchema,
  postRuntimeEventsResponseSchema,
  runnerStartSchema,
  type RunnerStart,
  type ToolPolicy,
} from "./protocol";

const SAMPLE_MESSAGE = { id: "sevt_sample", type: "user.message", content: [{ type: "text", text: "sample" }] };

/** A start with every optional part present, so that parsing it reaches every nested schema. */
export const SAMPLE_START: RunnerStart = {
  claim: {
    type: "run_claim",
    run_id: "run_sample",
    session_id: "sesn_sample",
    attempt: 1,
    api_key: "sample",
    resume: null,
    egress_port: 1,
    agent: {
      model: "sample",
      system: "sample",
      tools: Object.fromEntries(AGENT_TOOL_NAMES.map((name) => [name, { enabled: true, permission: "always_ask" }])) as ToolPolicy,
    },
    inbox: [SAMPLE_MESSAGE],
    rest_seconds: 0,
    runtime: { settings: { type: "session_runtime", mode: "egress", ca_bundle: "sample", env: { SAMPLE: "sample" } }, ca_path: "/sample" },
  },
  mode: "egress",
  home: "/sample",
  steps: { sample: 0 },
};

/** Parses the samples; returns whether all were valid (a sample that no longer fits warms only part of its schema). */
export function warmParsers(): boolean {
  return [
    runnerStartSchema.safeParse(SAMPLE_START),
    inboxEventSchema.safeParse(SAMPLE_MESSAGE),
    inboxResponseSchema.safeParse({ data: [SAMPLE_MESSAGE], run_open: true }),
    postRuntimeEventsResponseSchema.safeParse({ data: [{ id: "sevt_sample", type: "agent.message" }] }),
  ].every((result) => result.success);
}
