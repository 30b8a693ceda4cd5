import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findRouteFiles, handlerOf, routeContext, routeTable } from "@/lib/http/api-routes";
import { createApiDispatch } from "@/lib/http/api-dispatch";

const APP = join(import.meta.dirname, "..", "..", "app");
const files = findRouteFiles(APP, join(APP, "v1"));
const table = routeTable(files);

describe("the /v1 route table", () => {
  it("is app/v1's route files, the catch-all among them", () => {
    expect(files).toContain("v1/vaults/route.ts");
    expect(files).toContain("v1/[[...path]]/route.ts");
    expect(files).toContain("v1/sessions/[sessionId]/events/stream/route.ts");
    expect(files.every((file) => file.startsWith("v1/") && file.endsWith("/route.ts"))).toBe(true);
    expect(table.routes().map((route) => route.file)).toEqual(files);
  });

  it("matches every route file with its dynamic segments as params, as Next names them", () => {
    expect(table.match("/v1/vaults")).toMatchObject({ route: { file: "v1/vaults/route.ts" }, params: null });
    expect(table.match("/v1/vaults/vlt_1")).toMatchObject({ route: { file: "v1/vaults/[vaultId]/route.ts" }, params: { vaultId: "vlt_1" } });
    expect(table.match("/v1/vaults/vlt_1/credentials/vcrd_2/archive")).toMatchObject({
      route: { file: "v1/vaults/[vaultId]/credentials/[credentialId]/archive/route.ts" },
      params: { vaultId: "vlt_1", credentialId: "vcrd_2" },
    });
    expect(table.match("/v1/sessions/sesn_1/events/stream")?.route.file).toBe("v1/sessions/[sessionId]/events/stream/route.ts");
    for (const file of files.filter((name) => !name.includes("[["))) {
      const path = `/${file.replace(/\/route\.ts$/, "").replace(/\[([A-Za-z]+)\]/g, "x_$1")}`;
      expect(table.match(path)?.route.file, path).toBe(file);
    }
  });

  it("sends unknown /v1 paths to the optional catch-all, with the rest of the path as its param", () => {
    expect(table.match("/v1")).toMatchObject({ route: { file: "v1/[[...path]]/route.ts" }, params: {} });
    expect(table.match("/v1/does-not-exist")).toMatchObject({ route: { file: "v1/[[...path]]/route.ts" }, params: { path: ["does-not-exist"] } });
    // Down a matching branch that ends too early: Next backs out to the catch-all too.
    expect(table.match("/v1/vaults/vlt_x/credentials/vcrd_y/archive/extra")).toMatchObject({
      route: { file: "v1/[[...path]]/route.ts" },
      params: { path: ["vaults", "vlt_x", "credentials", "vcrd_y", "archive", "extra"] },
    });
  });

  it("leaves to Next what it cannot match with certainty: escapes, a trailing slash, empty or dot segments, other trees", () => {
    for (const path of ["/v1/vaults/", "/v1//vaults", "/v1/vaults/vlt%5F1", "/v1/./vaults", "/v1/vaults/..", "/vaults", "/v1x", "/", "/V1/vaults"]) {
      expect(table.match(path), path).toBeNull();
    }
  });

  it("orders a literal folder before a dynamic one before a catch-all, backing out of a branch that ends too early", () => {
    const synthetic = routeTable(["a/[id]/route.ts", "a/new/route.ts", "a/[id]/edit/route.ts", "a/[...rest]/route.ts", "[[...all]]/route.ts"]);
    expect(synthetic.match("/a/new")?.route.file).toBe("a/new/route.ts");
    expect(synthetic.match("/a/new/edit")).toMatchObject({ route: { file: "a/[id]/edit/route.ts" }, params: { id: "new" } });
    expect(synthetic.match("/a/7")).toMatchObject({ route: { file: "a/[id]/route.ts" }, params: { id: "7" } });
    expect(synthetic.match("/a/7/other")).toMatchObject({ route: { file: "a/[...rest]/route.ts" }, params: { rest: ["7", "other"] } });
    expect(synthetic.match("/b")).toMatchObject({ route: { file: "[[...all]]/route.ts" }, params: { all: ["b"] } });
    expect(() => routeTable(["a/[id]/route.ts", "a/[other]/x/route.ts"])).toThrow(/\[other\] beside \[id\]/);
  });

  it("passes params as a promise, and none at all on a route without dynamic segments (as Next does)", async () => {
    const dynamic = table.match("/v1/vaults/vlt_1");
    expect(dynamic && (await routeContext(dynamic).params)).toEqual({ vaultId: "vlt_1" });
    const fixed = table.match("/v1/vaults");
    expect(fixed && routeContext(fixed).params).toBeUndefined();
  });

  it("dispatches only the methods a module exports among GET, POST, PUT, PATCH, DELETE; Next answers HEAD, OPTIONS and the rest", () => {
    const handler = async () => new Response(null);
    expect(handlerOf({ GET: handler }, "GET")).toBe(handler);
    for (const method of ["POST", "HEAD", "OPTIONS", "TRACE", "get"]) expect(handlerOf({ GET: handler }, method), method).toBeNull();
  });
});

describe("dispatching to the real route modules", () => {
  let server: Server;
  let base = "";
  beforeAll(async () => {
    const dispatch = await createApiDispatch({ appDir: APP, origin: "http://127.0.0.1" });
    server = createServer((request, response) => {
      if (!dispatch(request, response, "req_aaaaaaaaaaaaaaaaaaaaaaaa")) {
        response.writeHead(599);
        response.end("left to Next");
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("answers a method a resource does not serve with the module's own 405 envelope", async () => {
    const response = await fetch(`${base}/v1/vaults`, { method: "PUT", body: "{}", headers: { "content-type": "application/json" } });
    expect(response.status).toBe(405);
    expect(response.headers.get("content-length")).toBe(String((await response.clone().arrayBuffer()).byteLength));
    const body = (await response.json()) as { type: string; error: { type: string; message: string } };
    expect(body).toMatchObject({ type: "error", error: { type: "invalid_request_error", message: "PUT is not supported on /v1/vaults" } });
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("answers unknown /v1 paths with the catch-all's 404 envelope", async () => {
    for (const path of ["/v1", "/v1/does-not-exist", "/v1/vaults/vlt_x/credentials/vcrd_y/archive/extra"]) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.json(), path).toMatchObject({ error: { type: "not_found_error", message: `No route for GET ${path}` } });
    }
  });

  it("runs the route's own authentication: no key is a 401, before any body is read", async () => {
    const response = await fetch(`${base}/v1/vaults`, {
      method: "POST",
      body: JSON.stringify({ display_name: "x" }),
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { type: "authentication_error" } });
  });

  it("leaves HEAD, OPTIONS and paths it does not match to Next", async () => {
    expect((await fetch(`${base}/v1/vaults`, { method: "HEAD" })).status).toBe(599);
    expect((await fetch(`${base}/v1/vaults`, { method: "OPTIONS" })).status).toBe(599);
    expect((await fetch(`${base}/v1/vaults/`)).status).toBe(599);
    expect((await fetch(`${base}/vaults`)).status).toBe(599);
  });
});
