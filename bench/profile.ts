// Reads the .cpuprofile files `node --cpu-prof` writes and lists where the time went: the top
// functions by self time, and the same samples summed by package (node_modules/<name>, node's own
// internals, the project's files), which tells at a glance whether Next, Prisma, PGlite or our own
// code is the cost. Also usable alone: tsx bench/profile.ts <dir-or-file> [top].
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

/** Where a script URL belongs: a package, node's internals, the project, or the engine itself. */
function ownerOf(url: string): string {
  if (!url) return "(engine: GC, idle, native)";
  if (url.startsWith("node:")) return "node internals";
  if (url.startsWith("wasm://")) return "WebAssembly (PGlite's PostgreSQL)";
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const [first, second] = url.slice(modules + "node_modules/".length).split("/");
    return first?.startsWith("@") ? `${first}/${second}` : (first ?? url);
  }
  if (url.includes("/.next/")) return "app bundle (.next)";
  return "project";
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) return url.slice(modules + "node_modules/".length);
  const next = url.indexOf("/.next/");
  if (next >= 0) return url.slice(next + 1);
  return url.replace(/^file:\/\/.*?\/(lib|scripts|bench|app)\//, "$1/");
}

function profileFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => name.endsWith(".cpuprofile"))
    .map((name) => join(path, name));
}

/** Lines describing each profile in `path` (a file or a directory of them): top functions and packages by self time. */
export function summarizeCpuProfiles(path: string, top: number): string[] {
  let files: string[];
  try {
    files = profileFiles(path);
  } catch {
    return [`no profile at ${path}`];
  }
  const lines: string[] = [];
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
    const totalHits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
    const seconds = (profile.endTime - profile.startTime) / 1e6;
    const byFunction = new Map<string, number>();
    const byOwner = new Map<string, number>();
    for (const node of profile.nodes) {
      const hits = node.hitCount ?? 0;
      if (hits === 0) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      const key = `${functionName || "(anonymous)"} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ""}`.trim();
      byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
      const owner = ownerOf(url);
      byOwner.set(owner, (byOwner.get(owner) ?? 0) + hits);
    }
    const percent = (hits: number) => `${((hits / totalHits) * 100).toFixed(1).padStart(5)} %`;
    const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]);
    lines.push(`${file}: ${totalHits} samples over ${seconds.toFixed(0)} s`);
    lines.push("  by package (self time):");
    for (const [owner, hits] of sorted(byOwner).slice(0, 10)) lines.push(`    ${percent(hits)}  ${owner}`);
    lines.push(`  top ${top} functions (self time):`);
    for (const [key, hits] of sorted(byFunction).slice(0, top)) lines.push(`    ${percent(hits)}  ${key}`);
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [path, top] = process.argv.slice(2);
  if (!path) throw new Error("usage: tsx bench/profile.ts <profile file or directory> [top]");
  for (const line of summarizeCpuProfiles(path, Number(top ?? 20))) console.log(line);
}
