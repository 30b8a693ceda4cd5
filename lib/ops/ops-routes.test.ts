import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createOpsRoutes, type OpsRoutesOptions } from "@/lib/ops/ops-routes";

let server: Server | undefined;

async function serve(options: OpsRoutesOptions): Promise<string> {
  const routes = createOpsRoutes(options);
  server = createServer((request, response) => {
    if (!routes(request, response)) response.writeHead(418).end();
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

const passing = { name: "database", check: async () => true };

describe("createOpsRoutes", () => {
  it("names the failing checks, and only their names", async () => {
    const url = await serve({
      readiness: [passing, { name: "migrations", check: async () => false }, { name: "egress_ca", check: () => Promise.reject(new Error("secret detail")) }],
      metricsToken: undefined,
      draining: () => false,
    });
    const response = await fetch(`${url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "not_ready", checks: { database: "ok", migrations: "failing", egress_ca: "failing" } });
  });

  it("fails readiness while draining, without asking the checks", async () => {
    let asked = 0;
    const url = await serve({ readiness: [{ name: "database", check: async () => (asked += 1) > 0 }], metricsToken: undefined, draining: () => true });
    const response = await fetch(`${url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "draining" });
    expect(asked).toBe(0);
  });

  it("leaves every other path to the caller", async () => {
    const url = await serve({ readiness: [passing], metricsToken: undefined, draining: () => false });
    expect((await fetch(`${url}/healthz/extra`)).status).toBe(418);
    expect((await fetch(`${url}/v1/vaults`)).status).toBe(418);
  });
});
