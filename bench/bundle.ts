// `npm run bench:bundle`: the JavaScript each console page makes a browser download on its first
// load, compressed as a server sends it (gzip level 6, what `npm start` serves: Next's own
// compression, and Node's and nginx's defaults; and brotli at its highest level, what a CDN gives),
// against issue 13's aim of ≤ 150 KB per page. It reads the production build's own per-route list
// of first-load chunks (.next/diagnostics/route-bundle-stats.json, written by `next build`),
// building first when the build is stale.
//
// It also prints the floor (`/`: a page that only redirects, so its first load is the Next + React
// runtime alone, what no page can go below) and, when the build has browser source maps
// (CONSOLE_BROWSER_SOURCE_MAPS=1 npm run build), the biggest packages and modules of the console
// pages' first load. A benchmark prints; it does not fail.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { z } from "zod";
import { buildIfStale } from "../scripts/build-if-stale";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const AIM_KB = 150;
/** The route whose first load is the framework alone: app/page.tsx only redirects, on the server. */
const FLOOR_ROUTE = "/";
/** Pages outside the signed-in console (no shell, no providers). */
const OUTSIDE_CONSOLE = new Set([FLOOR_ROUTE, "/sign-in", "/setup"]);
const TOP_MODULES = 20;

const routeStatsSchema = z.array(z.object({ route: z.string(), firstLoadChunkPaths: z.array(z.string()) }));
const sourceMapSchema = z.object({ sources: z.array(z.string()), mappings: z.string() });

interface Size {
  raw: number;
  gzip: number;
  brotli: number;
}

interface RouteSize extends Size {
  route: string;
  chunks: string[];
}

const compressed = new Map<string, Size>();

/** Each chunk compressed once: most are shared by every page. */
function chunkSize(relativePath: string): Size {
  const known = compressed.get(relativePath);
  if (known) return known;
  const bytes = readFileSync(join(ROOT, relativePath));
  const size = {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 6 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
  compressed.set(relativePath, size);
  return size;
}

function sum(sizes: Size[]): Size {
  return sizes.reduce((total, size) => ({ raw: total.raw + size.raw, gzip: total.gzip + size.gzip, brotli: total.brotli + size.brotli }), {
    raw: 0,
    gzip: 0,
    brotli: 0,
  });
}

function routeSizes(): RouteSize[] {
  const stats = routeStatsSchema.parse(JSON.parse(readFileSync(join(ROOT, ".next", "diagnostics", "route-bundle-stats.json"), "utf8")));
  return stats
    .filter((entry) => entry.route !== "/_not-found")
    .map((entry) => {
      const chunks = [...new Set(entry.firstLoadChunkPaths)];
      return { route: entry.route, chunks, ...sum(chunks.map(chunkSize)) };
    })
    .sort((a, b) => b.gzip - a.gzip);
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64_VALUE = new Map([...BASE64].map((char, index) => [char, index]));

/** One mapping segment's fields (source-map v3 base64 VLQ), relative as the format stores them. */
function decodeSegment(segment: string): number[] {
  const fields: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64_VALUE.get(char) ?? 0;
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return fields;
}

/**
 * The chunk's bytes per original source file, from its source map: every generated span counts
 * for the source its mapping segment points at (unmapped spans: the chunk's own glue).
 */
function bytesPerSource(chunkPath: string): Map<string, number> | null {
  const code = readFileSync(join(ROOT, chunkPath), "utf8");
  const comment = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(code);
  const mapPath = comment?.[1] ? join(ROOT, dirname(chunkPath), comment[1]) : null;
  if (!mapPath || !existsSync(mapPath)) return null;
  const map = sourceMapSchema.parse(JSON.parse(readFileSync(mapPath, "utf8")));
  const lines = code.split("\n");
  const bytes = new Map<string, number>();
  const add = (source: string, count: number) => bytes.set(source, (bytes.get(source) ?? 0) + count);
  let sourceIndex = 0;
  map.mappings.split(";").forEach((lineMappings, lineNumber) => {
    const line = lines[lineNumber] ?? "";
    let column = 0;
    let current = "(chunk glue)";
    let from = 0;
    for (const segment of lineMappings.split(",")) {
      if (!segment) continue;
      const [columnDelta = 0, sourceDelta] = decodeSegment(segment);
      column += columnDelta;
      add(current, Buffer.byteLength(line.slice(from, column)));
      from = column;
      if (sourceDelta === undefined) current = "(chunk glue)";
      else {
        sourceIndex += sourceDelta;
        current = map.sources[sourceIndex] ?? "(unknown)";
      }
    }
    add(current, Buffer.byteLength(line.slice(from)) + 1);
  });
  return bytes;
}

/** `turbopack:///[project]/node_modules/@radix-ui/react-dialog/dist/index.mjs` → `@radix-ui/react-dialog`. */
function packageOf(source: string): string {
  const path = source.replace(/^turbopack:\/\/\/\[project\]\//, "");
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (inModules?.[1]) {
    if (inModules[1] !== "next") return inModules[1];
    const compiled = /next\/dist\/compiled\/([^/]+)/.exec(path);
    return compiled?.[1] ? `next (compiled ${compiled[1]})` : "next";
  }
  return path.startsWith("(") ? path : `console: ${path.split("/").slice(0, 2).join("/")}`;
}

interface Attributed {
  name: string;
  raw: number;
  gzip: number;
}

/**
 * Modules and packages of a set of chunks, each with its raw bytes and an estimated gzip share
 * (its raw share of its chunk times that chunk's gzip size: compression is per chunk, not per module).
 */
function attribute(chunks: string[]): { modules: Attributed[]; packages: Attributed[] } | null {
  const modules = new Map<string, Attributed>();
  const packages = new Map<string, Attributed>();
  const add = (into: Map<string, Attributed>, name: string, raw: number, gzip: number) => {
    const entry = into.get(name) ?? { name, raw: 0, gzip: 0 };
    entry.raw += raw;
    entry.gzip += gzip;
    into.set(name, entry);
  };
  for (const chunk of chunks) {
    const perSource = bytesPerSource(chunk);
    if (!perSource) return null;
    const size = chunkSize(chunk);
    for (const [source, raw] of perSource) {
      const gzip = (raw / size.raw) * size.gzip;
      add(modules, source.replace(/^turbopack:\/\/\/\[project\]\//, ""), raw, gzip);
      add(packages, packageOf(source), raw, gzip);
    }
  }
  const biggest = (from: Map<string, Attributed>) => [...from.values()].sort((a, b) => b.gzip - a.gzip);
  return { modules: biggest(modules), packages: biggest(packages) };
}

const kb = (bytes: number) => (bytes / 1000).toFixed(1).padStart(6);

function main(): void {
  buildIfStale((line) => console.log(line));
  const routes = routeSizes();
  const floor = routes.find((route) => route.route === FLOOR_ROUTE);
  console.log(`First-load JavaScript per page (KB = 1,000 bytes; aim ≤ ${AIM_KB} KB compressed, as served: gzip)\n`);
  console.log(`${"page".padEnd(34)} ${"raw".padStart(6)} ${"gzip".padStart(6)} ${"brotli".padStart(6)}  ${"over floor (gz)".padStart(15)}  aim (gzip)`);
  for (const route of routes) {
    const verdict = route.gzip <= AIM_KB * 1000 ? "✓" : `✗ +${((route.gzip - AIM_KB * 1000) / 1000).toFixed(1)}`;
    const overFloor = floor ? kb(route.gzip - floor.gzip) : "";
    console.log(`${route.route.padEnd(34)} ${kb(route.raw)} ${kb(route.gzip)} ${kb(route.brotli)}  ${overFloor.padStart(15)}  ${verdict}`);
  }
  const worst = routes[0];
  if (worst) console.log(`\nlargest: ${worst.route} at ${kb(worst.gzip).trim()} KB gzip, ${kb(worst.brotli).trim()} KB brotli`);
  if (floor) {
    console.log(
      `floor (${FLOOR_ROUTE}, Next + React runtime only): ${kb(floor.gzip).trim()} KB gzip, ${kb(floor.brotli).trim()} KB brotli; ` +
        `the aim leaves ${kb(AIM_KB * 1000 - floor.gzip).trim()} KB gzip for a page's own code`,
    );
  }

  // The console's shared part: chunks every console page loads, beyond the floor.
  const consoleRoutes = routes.filter((route) => !OUTSIDE_CONSOLE.has(route.route));
  const floorChunks = new Set(floor?.chunks ?? []);
  const shared = consoleRoutes.length
    ? consoleRoutes.map((route) => new Set(route.chunks)).reduce((common, chunks) => new Set([...common].filter((chunk) => chunks.has(chunk))))
    : new Set<string>();
  const sharedOnly = [...shared].filter((chunk) => !floorChunks.has(chunk));
  const sharedSize = sum(sharedOnly.map(chunkSize));
  console.log(`console shell (on every console page, beyond the floor): ${kb(sharedSize.gzip).trim()} KB gzip, ${kb(sharedSize.brotli).trim()} KB brotli`);

  const everyChunk = [...new Set(consoleRoutes.flatMap((route) => route.chunks))].filter((chunk) => !floorChunks.has(chunk));
  const inFloor = attribute([...floorChunks]);
  const aboveFloor = attribute(everyChunk);
  const inShell = attribute(sharedOnly);
  if (!inFloor || !aboveFloor || !inShell) {
    console.log("\n(no browser source maps in this build: `CONSOLE_BROWSER_SOURCE_MAPS=1 npm run build` for the packages and modules below)");
    return;
  }
  const print = (title: string, entries: Attributed[], count: number) => {
    console.log(`\n${title}`);
    for (const entry of entries.slice(0, count)) console.log(`  ${kb(entry.gzip)} gz ${kb(entry.raw)} raw  ${entry.name}`);
  };
  print("The floor's packages (gzip estimated from each module's share of its chunk)", inFloor.packages, 8);
  print("The console shell's packages (on every console page)", inShell.packages, 12);
  // Summed over the distinct chunks of all console pages: a module that several chunks carry counts once per chunk.
  print("Above the floor, over all console pages' first-load chunks: biggest packages", aboveFloor.packages, TOP_MODULES);
  print("Above the floor, over all console pages' first-load chunks: biggest modules", aboveFloor.modules, TOP_MODULES);
}

main();
