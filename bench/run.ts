// `npm run bench` (see bench/orchestrate.ts for what it measures and its settings).
//
// npm runs this under the tsx CLI, which SIGKILLs its child when the child does not acknowledge a
// Ctrl-C within 30 ms. The benchmark saturates both cores, so it would sometimes miss that window
// and die before stopping its servers and its PostgreSQL cluster. This process therefore stays
// idle, always quick to answer, and runs the benchmark in a child of plain node in the same process
// group: Ctrl-C reaches the child directly, and a signal sent to this process alone is passed on.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

const benchmark = spawn(process.execPath, ["--import", "tsx", "bench/orchestrate.ts", ...process.argv.slice(2)], {
  cwd: ROOT,
  // The IPC channel closes when this process ends, however it ends: the benchmark then cleans up.
  stdio: ["inherit", "inherit", "inherit", "ipc"],
});

const passOn = (signal: NodeJS.Signals) => {
  if (benchmark.exitCode === null && benchmark.signalCode === null) benchmark.kill(signal);
};
process.on("SIGINT", passOn);
process.on("SIGTERM", passOn);

benchmark.once("error", (error) => {
  console.error(`[bench] cannot start bench/orchestrate.ts: ${error.message}`);
  process.exit(1);
});
benchmark.once("exit", (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
