// Brotli for the build's static JavaScript and CSS. Next's own server compresses with gzip only, on
// every request; brotli at its highest level is about 15 % smaller on these files but far too slow
// to run per request, so each file is compressed once, next to itself (`<file>.br`), after a build,
// and sent as is to a client whose Accept-Encoding takes br (every current browser). Anything else
// (no .br yet, a client without br, any other path) is left to Next, which sends gzip or identity.
import { createReadStream, existsSync, readdirSync, renameSync, statSync, writeFileSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { promisify } from "node:util";
import { brotliCompress, brotliCompressSync, constants } from "node:zlib";
import { log } from "@/lib/ops/logger";

/** The URL prefix Next serves the build's hashed, immutable assets under. */
const STATIC_PREFIX = "/_next/static/";
const CONTENT_TYPES: Record<string, string> = {
  ".js": "application/javascript; charset=UTF-8",
  ".css": "text/css; charset=UTF-8",
};
/** Below this, compression saves less than the encoding's own cost (and Next sends such files plainly too). */
const MIN_BYTES = 1024;
const BROTLI_OPTIONS = {
  params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
};
const compressAsync = promisify(brotliCompress);

/** The files worth a .br: JavaScript and CSS of at least MIN_BYTES. */
function compressibleFiles(directory: string): string[] {
  if (!existsSync(directory)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) found.push(...compressibleFiles(full));
    else if (entry.isFile() && path.extname(entry.name) in CONTENT_TYPES && statSync(full).size >= MIN_BYTES) found.push(full);
  }
  return found;
}

/** A .br older than its file (a rebuild wrote the same name again) is as good as none. */
function needsBrotli(file: string): boolean {
  const compressed = `${file}.br`;
  return !existsSync(compressed) || statSync(compressed).mtimeMs < statSync(file).mtimeMs;
}

/** Written beside the file through a temporary name, so a server never reads half a .br (two processes may race here). */
function writeBrotli(file: string, bytes: Buffer): void {
  const temporary = `${file}.br.${process.pid}.tmp`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, `${file}.br`);
}

/** After a build (scripts/build-if-stale.ts): every static JS/CSS file gets its .br. Returns how many were written. */
export function precompressStatic(staticDirectory: string): number {
  const pending = compressibleFiles(staticDirectory).filter(needsBrotli);
  for (const file of pending) writeBrotli(file, brotliCompressSync(readFileSync(file), BROTLI_OPTIONS));
  return pending.length;
}

/** The same off the event loop (zlib's thread pool), for a server started on a build made by plain `next build`. */
export async function precompressStaticInBackground(staticDirectory: string): Promise<number> {
  const pending = compressibleFiles(staticDirectory).filter(needsBrotli);
  for (const file of pending) writeBrotli(file, await compressAsync(readFileSync(file), BROTLI_OPTIONS));
  return pending.length;
}

/** True when Accept-Encoding takes br with a non-zero quality (`br;q=0` refuses it). */
export function acceptsBrotli(acceptEncoding: string | string[] | undefined): boolean {
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(",") : (acceptEncoding ?? "");
  for (const part of header.split(",")) {
    const [coding, ...parameters] = part.trim().toLowerCase().split(";");
    if (coding?.trim() !== "br") continue;
    const quality = parameters.map((parameter) => /^\s*q\s*=\s*([\d.]+)\s*$/.exec(parameter)?.[1]).find((value) => value !== undefined);
    return quality === undefined || Number(quality) > 0;
  }
  return false;
}

/**
 * The file under `staticDirectory` a request path names, or null: only /_next/static/… paths,
 * only JS/CSS, never outside the directory (`..`, encoded or not, and absolute tricks resolve out
 * of it and are refused).
 */
export function staticFileFor(staticDirectory: string, url: string | undefined): string | null {
  const pathname = (url ?? "").split("?")[0] ?? "";
  if (!pathname.startsWith(STATIC_PREFIX)) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(pathname.slice(STATIC_PREFIX.length));
  } catch {
    return null;
  }
  if (relative.includes("\0") || !(path.extname(relative) in CONTENT_TYPES)) return null;
  const root = path.resolve(staticDirectory);
  const file = path.resolve(root, relative);
  return file.startsWith(root + path.sep) ? file : null;
}

/**
 * The request handler's first look at a request: true when it sent the .br of a static file
 * (the caller then leaves the request alone), false to let Next answer it.
 */
export function createStaticBrotli(staticDirectory: string): (request: IncomingMessage, response: ServerResponse) => boolean {
  return (request, response) => {
    if (request.method !== "GET" && request.method !== "HEAD") return false;
    const file = staticFileFor(staticDirectory, request.url);
    if (!file) return false;
    // Next varies its own answer (gzip or not) by the same header: caches must keep them apart.
    if (!acceptsBrotli(request.headers["accept-encoding"])) return false;
    let size: number;
    try {
      const original = statSync(file);
      const compressed = statSync(`${file}.br`);
      if (!original.isFile() || !compressed.isFile() || compressed.mtimeMs < original.mtimeMs) return false;
      size = compressed.size;
    } catch {
      return false;
    }
    response.writeHead(200, {
      "content-type": CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream",
      "content-encoding": "br",
      "content-length": size,
      vary: "Accept-Encoding",
      // The names carry the content's hash: a new build is new names.
      "cache-control": "public, max-age=31536000, immutable",
    });
    if (request.method === "HEAD") response.end();
    else
      createReadStream(`${file}.br`)
        .on("error", () => response.destroy())
        .pipe(response);
    return true;
  };
}

/**
 * scripts/start.ts's hook: the handler above for a production server (a dev server has no build to
 * serve), and any .br a plain `next build` left missing written in the background meanwhile (until
 * then Next answers those files with gzip).
 */
export function staticBrotliFor(root: string, dev: boolean): (request: IncomingMessage, response: ServerResponse) => boolean {
  if (dev) return () => false;
  const staticDirectory = path.join(root, ".next", "static");
  precompressStaticInBackground(staticDirectory).catch((error: unknown) =>
    log().error({ problem: error instanceof Error ? error.message : String(error) }, "precompressing the static files failed: gzip is served instead"),
  );
  return createStaticBrotli(staticDirectory);
}
