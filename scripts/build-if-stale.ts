// The one "is .next current?" check: scripts/start.ts builds before it serves, bench/orchestrate.ts
// before it measures (its consoles start with --no-build, so no build lands inside a measurement).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { precompressStatic } from "../lib/http/static-brotli";

const ROOT = path.join(import.meta.dirname, "..");
/** What the build is made from: a change to any of them makes .next stale. */
const SOURCES = ["app", "components", "lib", "next.config.mjs", "package-lock.json", "tsconfig.json"];

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

/** Runs `next build` when .next is missing or older than the sources; false when it was current. */
export function buildIfStale(log: (line: string) => void): boolean {
  const buildId = path.join(ROOT, ".next", "BUILD_ID");
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  const sourcesAt = Math.max(...SOURCES.map((source) => newestMtime(path.join(ROOT, source))));
  if (builtAt > sourcesAt) return false;
  log(builtAt ? "Sources changed since the last build; rebuilding…" : "No build yet; building the console…");
  // The build serves nothing: Node's debug output there (NODE_DEBUG) is noise in the console's log.
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_DEBUG: undefined };
  const result = spawnSync("npx", ["next", "build"], { cwd: ROOT, stdio: "inherit", env });
  if (result.status !== 0) throw new Error(`next build exited with ${result.status ?? result.signal}`);
  // Brotli at its highest level once per build, so the server only reads .br files (lib/http/static-brotli.ts).
  log(`Precompressed ${precompressStatic(path.join(ROOT, ".next", "static"))} static files with brotli`);
  return true;
}
