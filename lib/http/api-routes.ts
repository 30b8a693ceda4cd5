import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";

/**
 * The /v1 route table scripts/start.ts serves from: the same app/v1/**\/route.ts modules Next serves,
 * found by walking the folder at boot (so a route added there is served here with no list to keep
 * in step), matched as Next's file-system router matches them. Only what this table matches with
 * certainty is served here; anything else returns null and goes to Next, which stays the reference.
 */

/** The methods the fast path dispatches; HEAD, OPTIONS and the rest go to Next, which implements them itself. */
export const DISPATCHED_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type DispatchedMethod = (typeof DISPATCHED_METHODS)[number];

export type RouteParams = Record<string, string | string[]>;
/** What Next hands a route handler as its second argument: `params` is undefined on a route without dynamic segments. */
export interface RouteContext {
  params: Promise<RouteParams> | undefined;
}
export type RouteHandler = (request: Request, context: RouteContext) => Response | Promise<Response>;
export type RouteModule = Partial<Record<DispatchedMethod, RouteHandler>>;

type Segment = { kind: "static"; name: string } | { kind: "dynamic"; name: string } | { kind: "catch_all"; name: string; optional: boolean };

interface RouteFile {
  /** e.g. `/v1/vaults/[vaultId]`, for messages and tests. */
  template: string;
  segments: Segment[];
  /** Path of route.ts relative to the app folder, with `/` separators. */
  file: string;
}

interface Node {
  statics: Map<string, Node>;
  dynamic: { name: string; node: Node } | null;
  catchAll: { name: string; optional: boolean; route: RouteFile } | null;
  route: RouteFile | null;
}

export interface RouteMatch {
  route: RouteFile;
  /** Dynamic segments as Next passes them; null for a route without any. */
  params: RouteParams | null;
}

const newNode = (): Node => ({ statics: new Map(), dynamic: null, catchAll: null, route: null });

function parseSegment(folder: string): Segment {
  const optionalCatchAll = /^\[\[\.\.\.([A-Za-z0-9_]+)\]\]$/.exec(folder);
  if (optionalCatchAll) return { kind: "catch_all", name: optionalCatchAll[1] ?? "", optional: true };
  const catchAll = /^\[\.\.\.([A-Za-z0-9_]+)\]$/.exec(folder);
  if (catchAll) return { kind: "catch_all", name: catchAll[1] ?? "", optional: false };
  const dynamic = /^\[([A-Za-z0-9_]+)\]$/.exec(folder);
  if (dynamic) return { kind: "dynamic", name: dynamic[1] ?? "" };
  if (/[[\]()@]/.test(folder)) throw new Error(`api routes: the folder ${folder} is a Next routing convention this table does not implement`);
  return { kind: "static", name: folder };
}

/** route.ts files under `dir`, relative to `appDir`, sorted (so the table is built the same way each boot). */
export function findRouteFiles(appDir: string, dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") found.push(relative(appDir, full).split(sep).join("/"));
    }
  };
  walk(dir);
  return found.sort();
}

export interface RouteTable {
  match(pathname: string): RouteMatch | null;
  routes(): RouteFile[];
}

/** The table for route files given relative to the app folder (`v1/vaults/[vaultId]/route.ts`). */
export function routeTable(files: readonly string[]): RouteTable {
  const root = newNode();
  const routes: RouteFile[] = [];
  for (const file of files) {
    const folders = file.split("/").slice(0, -1);
    const segments = folders.map(parseSegment);
    const route: RouteFile = { template: `/${folders.join("/")}`, segments, file };
    routes.push(route);
    let node = root;
    segments.forEach((segment, index) => {
      if (segment.kind === "catch_all") {
        if (index !== segments.length - 1) throw new Error(`api routes: ${file}: a catch-all must be the last folder`);
        node.catchAll = { name: segment.name, optional: segment.optional, route };
        return;
      }
      if (segment.kind === "static") {
        let next = node.statics.get(segment.name);
        if (!next) node.statics.set(segment.name, (next = newNode()));
        node = next;
        return;
      }
      if (node.dynamic && node.dynamic.name !== segment.name) {
        throw new Error(`api routes: ${file}: [${segment.name}] beside [${node.dynamic.name}] (Next refuses two names for one dynamic segment)`);
      }
      node.dynamic ??= { name: segment.name, node: newNode() };
      node = node.dynamic.node;
    });
    if (segments.at(-1)?.kind !== "catch_all") node.route = route;
  }

  /**
   * Next sorts its routes so that, folder by folder, a literal name beats a dynamic segment, which
   * beats a catch-all, which beats an optional one, and serves the first that matches: a depth-first
   * search in that order, backing out of a branch that matches nothing further down.
   */
  const search = (node: Node, parts: readonly string[], index: number, params: Record<string, string>): RouteMatch | null => {
    if (index === parts.length) {
      if (node.route) return { route: node.route, params: Object.keys(params).length > 0 ? { ...params } : null };
      if (node.catchAll?.optional) return { route: node.catchAll.route, params: { ...params } };
      return null;
    }
    const part = parts[index] ?? "";
    const literal = node.statics.get(part);
    const viaLiteral = literal && search(literal, parts, index + 1, params);
    if (viaLiteral) return viaLiteral;
    if (node.dynamic) {
      const viaDynamic = search(node.dynamic.node, parts, index + 1, { ...params, [node.dynamic.name]: part });
      if (viaDynamic) return viaDynamic;
    }
    if (node.catchAll) return { route: node.catchAll.route, params: { ...params, [node.catchAll.name]: parts.slice(index) } };
    return null;
  };

  return {
    match(pathname) {
      if (!isPlainPath(pathname)) return null;
      return search(root, pathname.slice(1).split("/"), 0, {});
    },
    routes: () => [...routes],
  };
}

/**
 * Paths whose meaning no router could disagree on: `/`-separated non-empty segments of unreserved
 * characters, no `.` or `..`. Percent-escapes, a trailing slash (Next redirects it) or an empty
 * segment go to Next, so how such a path is decoded, redirected or normalized stays Next's answer.
 */
function isPlainPath(pathname: string): boolean {
  if (!/^(\/[A-Za-z0-9_~.-]+)+$/.test(pathname)) return false;
  return !pathname.split("/").some((segment) => segment === "." || segment === "..");
}

/** The route context Next passes for a match: a promise of the params, or no params at all on a static route. */
export function routeContext(match: RouteMatch): RouteContext {
  return { params: match.params ? Promise.resolve(match.params) : undefined };
}

/** The handler a module exports for `method`, or null (then Next answers, as it would for any method a module lacks). */
export function handlerOf(module: RouteModule, method: string): RouteHandler | null {
  if (!(DISPATCHED_METHODS as readonly string[]).includes(method)) return null;
  const handler = module[method as DispatchedMethod];
  return typeof handler === "function" ? handler : null;
}

/** Loads every route module of the table once, at boot, so no request waits on an import. */
export async function loadRouteModules(table: RouteTable, load: (file: string) => Promise<RouteModule>): Promise<Map<string, RouteModule>> {
  const modules = new Map<string, RouteModule>();
  for (const route of table.routes()) modules.set(route.file, await load(route.file));
  return modules;
}
