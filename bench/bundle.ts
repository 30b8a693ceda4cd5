// `npm run bench:bundle`: the JavaScript each console page makes a browser download on its first
// load, compressed as a server sends it (gzip level 6, what Node's and nginx's defaults give, and
// brotli at its highest level, what a CDN gives), against issue 13's aim of ≤ 150 KB per page. It
// reads the production build's own per-route list of first-load chunks (.next/diagnostics/
// route-bundle-stats.json, written by `next build`), building first when the build is stale.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { z } from "zod";
import { buildIfStale } from "../scripts/build-if-stale";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const AIM_KB = 150;

const routeStatsSchema = z.array(z.object({ route: z.string(), firstLoadChunkPaths: z.array(z.string()) }));

interface RouteSize {
  route: string;
  rawBytes: number;
  gzipBytes: number;
  brotliBytes: number;
}

const compressed = new Map<string, { raw: number; gzip: number; brotli: number }>();

/** Each chunk compressed once: most are shared by every page. */
function chunkSize(relativePath: string): { raw: number; gzip: number; brotli: number } {
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

function routeSizes(): RouteSize[] {
  const stats = routeStatsSchema.parse(JSON.parse(readFileSync(join(ROOT, ".next", "diagnostics", "route-bundle-stats.json"), "utf8")));
  return stats
    .filter((entry) => entry.route !== "/_not-found")
    .map((entry) => {
      const sizes = [...new Set(entry.firstLoadChunkPaths)].map(chunkSize);
      const sum = (pick: (size: { raw: number; gzip: number; brotli: number }) => number) => sizes.reduce((total, size) => total + pick(size), 0);
      return { route: entry.route, rawBytes: sum((size) => size.raw), gzipBytes: sum((size) => size.gzip), brotliBytes: sum((size) => size.brotli) };
    })
    .sort((a, b) => b.gzipBytes - a.gzipBytes);
}

const kb = (bytes: number) => (bytes / 1000).toFixed(1).padStart(6);

function main(): void {
  buildIfStale((line) => console.log(line));
  const routes = routeSizes();
  console.log(`First-load JavaScript per page (KB = 1,000 bytes; aim ≤ ${AIM_KB} KB compressed)\n`);
  console.log(`${"page".padEnd(34)} ${"raw".padStart(6)} ${"gzip".padStart(6)} ${"brotli".padStart(6)}  aim (gzip)`);
  for (const route of routes) {
    const verdict = route.gzipBytes <= AIM_KB * 1000 ? "✓" : `✗ +${((route.gzipBytes - AIM_KB * 1000) / 1000).toFixed(1)}`;
    console.log(`${route.route.padEnd(34)} ${kb(route.rawBytes)} ${kb(route.gzipBytes)} ${kb(route.brotliBytes)}  ${verdict}`);
  }
  const worst = routes[0];
  if (worst) console.log(`\nlargest: ${worst.route} at ${kb(worst.gzipBytes).trim()} KB gzip, ${kb(worst.brotliBytes).trim()} KB brotli`);
}

main();
