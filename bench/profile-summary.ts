// Where a server's CPU went, from a V8 .cpuprofile (`node --cpu-prof`): the top functions by self
// time and by inclusive time (a function counted once per sample however deep it recurses), and the
// same by module (a package under node_modules, a Next chunk, or a file of this app), so that a
// regression shows as a line rather than a flame graph to read.
//
//   npx tsx bench/profile-summary.ts <file.cpuprofile, or a directory of them> [--top 25] [--grep text] [--callers text]
//
// --grep keeps only the samples whose stack contains a frame matching the text (e.g. --grep apiRoute
// for the /v1 wrapper's share), and reports their total as a share of the whole profile. --callers
// lists the stacks (innermost 8 frames) under which functions whose label contains the text ran.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";

const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number(), columnNumber: z.number() }),
      children: z.array(z.number()).optional(),
    }),
  ),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

type Profile = z.infer<typeof profileSchema>;

const IDLE = new Set(["(idle)", "(program)", "(garbage collector)", "(root)"]);

/** A readable module name for a script URL: the package, the Next chunk, or the path under the project. */
function moduleOf(url: string): string {
  if (!url) return "(native)";
  if (url.startsWith("node:")) return url;
  // PGlite's PostgreSQL and Prisma's query compiler are both WebAssembly: --callers tells them apart.
  if (url.startsWith("wasm://")) return "WebAssembly (PGlite, or Prisma's query compiler)";
  const path = url.replace(/^file:\/\//, "");
  const packages = path.split("/node_modules/");
  if (packages.length > 1) {
    const rest = packages[packages.length - 1] ?? "";
    const [first = "", second = ""] = rest.split("/");
    const name = first.startsWith("@") ? `${first}/${second}` : first;
    if (name === "next") {
      const file = rest.split("/").slice(-1)[0] ?? "";
      return `next/${file}`;
    }
    return name;
  }
  const nextChunk = path.indexOf("/.next/");
  if (nextChunk >= 0) return `.next/${path.slice(nextChunk + 7).replace(/\/[^/]*$/, "/…")}`;
  const cwd = process.cwd();
  return path.startsWith(cwd) ? path.slice(cwd.length + 1) : path;
}

function frameLabel(frame: Profile["nodes"][number]["callFrame"]): string {
  const name = frame.functionName || "(anonymous)";
  if (!frame.url) return name;
  return `${name}  ${moduleOf(frame.url)}:${frame.lineNumber + 1}`;
}

function table(lines: string[], title: string, totals: Map<string, number>, all: number, top: number): void {
  lines.push("", title);
  const rows = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [label, us] of rows) {
    lines.push(`  ${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / all).toFixed(1).padStart(5)} %  ${label}`);
  }
}

export interface SummaryOptions {
  top: number;
  /** Keep only samples whose stack has a frame matching this. */
  grep?: string;
  /** List the stacks under functions matching this. */
  callers?: string;
}

/** The .cpuprofile files at `path` (a file, or a directory `--cpu-prof-dir` wrote into). */
export function profileFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => name.endsWith(".cpuprofile"))
    .map((name) => join(path, name));
}

/** The summary of one profile as printable lines. */
export function summarizeProfile(file: string, { top, grep, callers }: SummaryOptions): string[] {
  const lines: string[] = [];
  const callerStacks = new Map<string, number>();
  const profile = profileSchema.parse(JSON.parse(readFileSync(file, "utf8")));

  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const moduleSelf = new Map<string, number>();
  const moduleInclusive = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  let matched = 0;
  profile.samples.forEach((sampleId, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const leaf = byId.get(sampleId);
    if (!leaf) return;
    if (IDLE.has(leaf.callFrame.functionName) && leaf.callFrame.functionName !== "(garbage collector)" && leaf.callFrame.functionName !== "(program)") {
      idle += delta;
      return;
    }
    const stack: Profile["nodes"][number][] = [];
    for (let id: number | undefined = sampleId; id !== undefined; id = parentOf.get(id)) {
      const node = byId.get(id);
      if (node) stack.push(node);
    }
    if (grep && !stack.some((node) => frameLabel(node.callFrame).includes(grep))) {
      busy += delta;
      return;
    }
    busy += delta;
    matched += delta;
    const leafLabel = frameLabel(leaf.callFrame);
    if (callers) {
      const at = stack.findIndex((node) => frameLabel(node.callFrame).includes(callers));
      if (at >= 0) {
        const chain = stack
          .slice(at, at + 8)
          .map((node) => frameLabel(node.callFrame))
          .join("\n      ← ");
        callerStacks.set(chain, (callerStacks.get(chain) ?? 0) + delta);
      }
    }
    self.set(leafLabel, (self.get(leafLabel) ?? 0) + delta);
    const leafModule = moduleOf(leaf.callFrame.url) === "(native)" ? leaf.callFrame.functionName : moduleOf(leaf.callFrame.url);
    moduleSelf.set(leafModule, (moduleSelf.get(leafModule) ?? 0) + delta);
    const seen = new Set<string>();
    const seenModules = new Set<string>();
    for (const node of stack) {
      if (node.callFrame.functionName === "(root)") continue;
      const label = frameLabel(node.callFrame);
      if (!seen.has(label)) {
        seen.add(label);
        inclusive.set(label, (inclusive.get(label) ?? 0) + delta);
      }
      const moduleName = moduleOf(node.callFrame.url);
      if (moduleName !== "(native)" && !seenModules.has(moduleName)) {
        seenModules.add(moduleName);
        moduleInclusive.set(moduleName, (moduleInclusive.get(moduleName) ?? 0) + delta);
      }
    }
  });

  const wall = (profile.endTime - profile.startTime) / 1000;
  lines.push(
    `${file}\n  wall ${(wall / 1000).toFixed(1)} s, busy ${(busy / 1e6).toFixed(1)} s, idle ${(idle / 1e6).toFixed(1)} s` +
      (grep ? `; samples under "${grep}": ${(matched / 1e6).toFixed(2)} s (${((100 * matched) / busy).toFixed(1)} % of busy)` : ""),
  );
  const base = grep ? matched : busy;
  table(lines, `Top ${top} by self time (% of ${grep ? "matched" : "busy"})`, self, base, top);
  table(lines, `Top ${top} by inclusive time`, inclusive, base, top);
  table(lines, `Top ${Math.min(top, 15)} modules by self time`, moduleSelf, base, Math.min(top, 15));
  table(lines, `Top ${Math.min(top, 15)} modules by inclusive time`, moduleInclusive, base, Math.min(top, 15));
  if (callers) table(lines, `Stacks under "${callers}"`, callerStacks, base, Math.min(top, 10));
  return lines;
}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const path = args.find((arg, index) => !arg.startsWith("--") && !args[index - 1]?.startsWith("--"));
  if (!path) throw new Error("usage: tsx bench/profile-summary.ts <file.cpuprofile or directory> [--top 25] [--grep text] [--callers text]");
  const options = { top: Number(option(args, "--top") ?? 25), grep: option(args, "--grep"), callers: option(args, "--callers") };
  for (const file of profileFiles(path)) for (const line of summarizeProfile(file, options)) console.log(line);
}
