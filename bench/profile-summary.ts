// Where a server's CPU went, from a V8 .cpuprofile (`node --cpu-prof`): the top functions by self
// time and by inclusive time (a function counted once per sample however deep it recurses), and the
// same by module (a package under node_modules, a Next chunk, or a file of this app), so that a
// regression shows as a line rather than a flame graph to read.
//
//   npx tsx bench/profile-summary.ts <file.cpuprofile> [--top 25] [--grep text] [--callers text]
//
// --grep keeps only the samples whose stack contains a frame matching the text (e.g. --grep apiRoute
// for the /v1 wrapper's share), and reports their total as a share of the whole profile. --callers
// lists the stacks (innermost 8 frames) under which functions whose label contains the text ran.
import { readFileSync } from "node:fs";
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

function table(title: string, totals: Map<string, number>, all: number, top: number): void {
  console.log(`\n${title}`);
  const rows = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [label, us] of rows) {
    console.log(`  ${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / all).toFixed(1).padStart(5)} %  ${label}`);
  }
}

function main(): void {
  const args = process.argv.slice(2);
  const file = args.find((arg) => !arg.startsWith("--") && !/^\d+$/.test(arg));
  if (!file) throw new Error("usage: tsx bench/profile-summary.ts <file.cpuprofile> [--top 25] [--grep text]");
  const topIndex = args.indexOf("--top");
  const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 25;
  const grepIndex = args.indexOf("--grep");
  const grep = grepIndex >= 0 ? args[grepIndex + 1] : undefined;
  const callersIndex = args.indexOf("--callers");
  const callers = callersIndex >= 0 ? args[callersIndex + 1] : undefined;
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
  console.log(
    `${file}\n  wall ${(wall / 1000).toFixed(1)} s, busy ${(busy / 1e6).toFixed(1)} s, idle ${(idle / 1e6).toFixed(1)} s` +
      (grep ? `; samples under "${grep}": ${(matched / 1e6).toFixed(2)} s (${((100 * matched) / busy).toFixed(1)} % of busy)` : ""),
  );
  const base = grep ? matched : busy;
  table(`Top ${top} by self time (% of ${grep ? "matched" : "busy"})`, self, base, top);
  table(`Top ${top} by inclusive time`, inclusive, base, top);
  table(`Top ${Math.min(top, 15)} modules by self time`, moduleSelf, base, Math.min(top, 15));
  table(`Top ${Math.min(top, 15)} modules by inclusive time`, moduleInclusive, base, Math.min(top, 15));
  if (callers) table(`Stacks under "${callers}"`, callerStacks, base, Math.min(top, 10));
}

main();
