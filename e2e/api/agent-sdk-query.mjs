// Runs one Claude Agent SDK `query()` the way an agent harness would, for the egress runtime tests
// (it runs inside their network namespace): the SDK starts its bundled Claude Code CLI with this
// process's environment, which is the runtime settings' env and nothing else. Prints the final
// result message as JSON; exits 1 when the query ends without a successful result.
import { query } from "@anthropic-ai/claude-agent-sdk";

let result = null;
for await (const message of query({ prompt: process.argv[2] ?? "say hi", options: { maxTurns: 1 } })) {
  if (message.type === "result") result = message;
}
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(result?.subtype === "success" && !result.is_error ? 0 : 1);
