import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { literalRouteSegments, routeTemplateOf } from "@/lib/ops/route-template";

const literals = literalRouteSegments(fileURLToPath(new URL("../../app", import.meta.url)));

describe("routeTemplateOf", () => {
  it("keeps the app's literal segments and turns ids into parameters", () => {
    expect(routeTemplateOf("/v1/vaults/vlt_0123456789abcdefghijklmn/credentials", literals)).toBe("/v1/vaults/:id/credentials");
    expect(routeTemplateOf("/v1/sessions/sesn_x/events/stream", literals)).toBe("/v1/sessions/:id/events/stream");
    expect(routeTemplateOf("/v1/runs/run_x/claim", literals)).toBe("/v1/runs/:id/claim");
    expect(routeTemplateOf("/sessions/sesn_x/edit", literals)).toBe("/sessions/:id/edit");
    expect(routeTemplateOf("/vaults", literals)).toBe("/vaults");
    expect(routeTemplateOf("/", literals)).toBe("/");
  });

  it("reads route groups and dynamic folders through, but never lists them as literals", () => {
    expect(literals.has("sign-in")).toBe(true);
    expect(literals.has("diagnostics")).toBe(true);
    expect([...literals].some((segment) => segment.startsWith("(") || segment.startsWith("["))).toBe(false);
  });

  it("stays a bounded set whatever a client sends", () => {
    expect(routeTemplateOf("/v1/vaults/anything-at-all", literals)).toBe("/v1/vaults/:id");
    expect(routeTemplateOf("/wp-admin/setup.php", literals)).toBe("/:id/:id");
    expect(routeTemplateOf("/a/b/c/d/e/f/g/h", literals)).toBe("/*");
    expect(routeTemplateOf("/_next/static/chunks/app.js", literals)).toBe("/_next/*");
    expect(routeTemplateOf("/boundary/sesn_x/v1/messages", literals)).toBe("/boundary/*");
  });
});
