// `npm run bench:bundle`: the JavaScript each console page makes a browser download on its first
// load, in the bytes a console server actually sends, against issue 13's aim of ≤ 150 KB per page.
// The list of first-load chunks per route is the production build's own
// (.next/diagnostics/route-bundle-stats.json, written by `next build`; building first when the
// build is stale); the bytes are fetched from a running console: BUNDLE_URL when set (a console you
// started), otherwise one this script starts on a throw-away embedded database and stops again. Each
// chunk is fetched twice, as Chromium asks (`Accept-Encoding: gzip, deflate, br, zstd`: the
// server's brotli, lib/http/static-brotli.ts) and as a client without brotli (`gzip, deflate`:
// Next's gzip), and counted as the body on the wire, whatever encoding the server chose.
//
// It also prints the floor (`/`: a page that only redirects, so its first load is the Next + React
// runtime alone, what no page can go below) and, when the build has browser source maps
// (CONSOLE_BROWSER_SOURCE_MAPS=1 npm run build), the biggest packages and modules of the console
// pages' first load (estimated from local gzip, as compression is per chunk, not per module).
// A benchmark prints; it does not fail.
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { z } from "zod";
import { precompressStatic } from "../lib/http/static-brotli";
import { buildIfStale } from "../scripts/build-if-stale";
import { spawnConsoleProcess, stopScript, waitForReady } from "../scripts/console-process";
import { findFreePort } from "../scripts/postgres";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const AIM_KB = 150;
/** The route whose first load is the framework alone: app/page.tsx only redirects, on the server. */
const FLOOR_ROUTE = "/";
/** Pages outside the signed-in console (no shell, no providers). */
const OUTSIDE_CONSOLE = new Set([FLOOR_ROUTE, "/sign-in", "/setup", "/docs"]);
const TOP_MODULES = 20;
/** The heaviest pages whose own modules are listed. */
const PAGES_LISTED = 4;
/** A chunk on at least this share of the console pages counts as the console's shell. */
const SHELL_SHARE = 0.8;

const routeStatsSchema = z.array(z.object({ route: z.string(), firstLoadChunkPaths: z.array(z.string()) }));
const sourceMapSchema = z.object({ sources: z.array(z.string()), mappings: z.string() });

/** Bytes on the wire for one chunk: as Chromium asks (brotli when the server gives it) and as a gzip-only client. */
interface Size {
  raw: number;
  /** Sent to `Accept-Encoding: gzip, deflate`. */
  gzip: number;
  /** Sent to Chromium's `Accept-Encoding: gzip, deflate, br, zstd`. */
  browser: number;
}

interface RouteSize extends Size {
  route: string;
  chunks: string[];
}

const CHROMIUM_ACCEPT_ENCODING = "gzip, deflate, br, zstd";
const GZIP_ONLY_ACCEPT_ENCODING = "gzip, deflate";

/** The response's body as sent (not decoded) and the encoding the server named. */
function fetchEncoded(url: string, acceptEncoding: string): Promise<{ bytes: number; encoding: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { headers: { "accept-encoding": acceptEncoding } }, (response) => {
      let bytes = 0;
      response.on("data", (part: Buffer) => (bytes += part.length));
      response.on("end", () => {
        if (response.statusCode !== 200) reject(new Error(`${url} answered ${response.statusCode}`));
        else resolve({ bytes, encoding: String(response.headers["content-encoding"] ?? "identity") });
      });
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

const measured = new Map<string, Size>();
/** Which encodings the server chose, per client, over every chunk fetched: "br 31, identity 2". */
const encodingsSeen = { browser: new Map<string, number>(), gzip: new Map<string, number>() };

/** Each chunk fetched once per client: most are shared by every page. */
async function measureChunk(baseUrl: string, relativePath: string): Promise<void> {
  if (measured.has(relativePath)) return;
  const url = new URL(relativePath.replace(/^\.next\/static\//, "/_next/static/"), baseUrl).toString();
  const [browser, gzip] = [await fetchEncoded(url, CHROMIUM_ACCEPT_ENCODING), await fetchEncoded(url, GZIP_ONLY_ACCEPT_ENCODING)];
  encodingsSeen.browser.set(browser.encoding, (encodingsSeen.browser.get(browser.encoding) ?? 0) + 1);
  encodingsSeen.gzip.set(gzip.encoding, (encodingsSeen.gzip.get(gzip.encoding) ?? 0) + 1);
  measured.set(relativePath, { raw: readFileSync(join(ROOT, relativePath)).length, gzip: gzip.bytes, browser: browser.bytes });
}

function chunkSize(relativePath: string): Size {
  const size = measured.get(relativePath);
  if (!size) throw new Error(`${relativePath} was not measured`);
  return size;
}

/** Local gzip of a chunk, only to split a chunk's size among its modules (the source-map listing). */
const localGzip = new Map<string, number>();
function gzipOf(relativePath: string): number {
  const known = localGzip.get(relativePath);
  if (known !== undefined) return known;
  const size = gzipSync(readFileSync(join(ROOT, relativePath)), { level: 6 }).length;
  localGzip.set(relativePath, size);
  return size;
}

function sum(sizes: Size[]): Size {
  return sizes.reduce((total, size) => ({ raw: total.raw + size.raw, gzip: total.gzip + size.gzip, browser: total.browser + size.browser }), {
    raw: 0,
    gzip: 0,
    browser: 0,
  });
}

function routeChunks(): { route: string; chunks: string[] }[] {
  const stats = routeStatsSchema.parse(JSON.parse(readFileSync(join(ROOT, ".next", "diagnostics", "route-bundle-stats.json"), "utf8")));
  return stats.filter((entry) => entry.route !== "/_not-found").map((entry) => ({ route: entry.route, chunks: [...new Set(entry.firstLoadChunkPaths)] }));
}

async function routeSizes(baseUrl: string): Promise<RouteSize[]> {
  const routes = routeChunks();
  for (const chunk of new Set(routes.flatMap((route) => route.chunks))) await measureChunk(baseUrl, chunk);
  return routes.map((route) => ({ ...route, ...sum(route.chunks.map(chunkSize)) })).sort((a, b) => b.browser - a.browser);
}

/** BUNDLE_URL, or a console of our own on a throw-away data directory (no runners, no egress proxy). */
async function withConsole(measure: (baseUrl: string) => Promise<void>): Promise<void> {
  const given = process.env.BUNDLE_URL?.trim();
  if (given) return measure(given);
  const dir = mkdtempSync(join(tmpdir(), "bench-bundle-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CONSOLE_DATA_DIR: join(dir, "data"),
    CONSOLE_MASTER_KEY: randomBytes(32).toString("base64"),
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    CONSOLE_RUNNERS: "0",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  delete env.DATABASE_URL;
  delete env.ADMIN_EMAIL;
  delete env.ADMIN_PASSWORD;
  const server = spawnConsoleProcess({ env, port: await findFreePort(), logPath: join(dir, "console.log") });
  try {
    await waitForReady(server, 180_000);
    await measure(server.url);
  } finally {
    await stopScript(server);
    rmSync(dir, { recursive: true, force: true });
  }
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
    const raw = chunkSize(chunk).raw;
    const chunkGzip = gzipOf(chunk);
    for (const [source, sourceRaw] of perSource) {
      const gzip = (sourceRaw / raw) * chunkGzip;
      add(modules, source.replace(/^turbopack:\/\/\/\[project\]\//, ""), sourceRaw, gzip);
      add(packages, packageOf(source), sourceRaw, gzip);
    }
  }
  const biggest = (from: Map<string, Attributed>) => [...from.values()].sort((a, b) => b.gzip - a.gzip);
  return { modules: biggest(modules), packages: biggest(packages) };
}

const kb = (bytes: number) => (bytes / 1000).toFixed(1).padStart(6);

const encodings = (seen: Map<string, number>) => [...seen].map(([encoding, count]) => `${encoding} ${count}`).join(", ");

async function main(): Promise<void> {
  buildIfStale((line) => console.log(line));
  // What `npm start` does after its own build; a no-op when every .br is current.
  precompressStatic(join(ROOT, ".next", "static"));
  let routes: RouteSize[] = [];
  let server = "";
  await withConsole(async (baseUrl) => {
    server = baseUrl;
    routes = await routeSizes(baseUrl);
  });
  const floor = routes.find((route) => route.route === FLOOR_ROUTE);
  console.log(`First-load JavaScript per page as ${server} sends it (KB = 1,000 bytes; aim ≤ ${AIM_KB} KB to a browser)`);
  console.log(`  browser: Accept-Encoding "${CHROMIUM_ACCEPT_ENCODING}" (Chromium), answered with ${encodings(encodingsSeen.browser)} (chunks)`);
  console.log(`  gzip:    Accept-Encoding "${GZIP_ONLY_ACCEPT_ENCODING}" (no brotli), answered with ${encodings(encodingsSeen.gzip)} (chunks)\n`);
  console.log(`${"page".padEnd(34)} ${"raw".padStart(6)} ${"gzip".padStart(6)} ${"browser".padStart(7)}  ${"over floor".padStart(10)}  aim (browser)`);
  for (const route of routes) {
    const verdict = route.browser <= AIM_KB * 1000 ? "✓" : `✗ +${((route.browser - AIM_KB * 1000) / 1000).toFixed(1)}`;
    const overFloor = floor ? kb(route.browser - floor.browser) : "";
    console.log(`${route.route.padEnd(34)} ${kb(route.raw)} ${kb(route.gzip)} ${kb(route.browser).padStart(7)}  ${overFloor.padStart(10)}  ${verdict}`);
  }
  const worst = routes[0];
  if (worst) console.log(`\nlargest: ${worst.route} at ${kb(worst.browser).trim()} KB to a browser, ${kb(worst.gzip).trim()} KB gzip`);
  if (floor) {
    console.log(
      `floor (${FLOOR_ROUTE}, Next + React runtime only): ${kb(floor.browser).trim()} KB to a browser, ${kb(floor.gzip).trim()} KB gzip; ` +
        `the aim leaves ${kb(AIM_KB * 1000 - floor.browser).trim()} KB for a page's own code`,
    );
  }

  // The console's shared part: chunks every console page loads, beyond the floor.
  const consoleRoutes = routes.filter((route) => !OUTSIDE_CONSOLE.has(route.route));
  const floorChunks = new Set(floor?.chunks ?? []);
  // Chunks on most console pages: with merged chunks (next.config.mjs) a page may carry the shell inside a chunk of its own.
  const pagesPerChunk = new Map<string, number>();
  for (const route of consoleRoutes) for (const chunk of route.chunks) pagesPerChunk.set(chunk, (pagesPerChunk.get(chunk) ?? 0) + 1);
  const shared = new Set([...pagesPerChunk].filter(([, pages]) => pages >= consoleRoutes.length * SHELL_SHARE).map(([chunk]) => chunk));
  const sharedOnly = [...shared].filter((chunk) => !floorChunks.has(chunk));
  const sharedSize = sum(sharedOnly.map(chunkSize));
  console.log(
    `console shell (chunks on 80 % of the console pages or more, beyond the floor): ${kb(sharedSize.browser).trim()} KB to a browser, ${kb(sharedSize.gzip).trim()} KB gzip`,
  );

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
  print("The console shell's packages", inShell.packages, 12);
  // Summed over the distinct chunks of all console pages: a module that several chunks carry counts once per chunk.
  print("Above the floor, over all console pages' first-load chunks: biggest packages", aboveFloor.packages, TOP_MODULES);
  print("Above the floor, over all console pages' first-load chunks: biggest modules", aboveFloor.modules, TOP_MODULES);
  // Per page: what it adds above the shell, so the heaviest pages can be trimmed where it counts.
  const shellChunks = new Set([...floorChunks, ...sharedOnly]);
  for (const route of consoleRoutes.slice(0, PAGES_LISTED)) {
    const own = route.chunks.filter((chunk) => !shellChunks.has(chunk));
    const modules = attribute(own);
    if (modules) print(`${route.route}: its own modules above the shell`, modules.modules, 12);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
