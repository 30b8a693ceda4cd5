import { describe, expect, it } from "vitest";
import { ConsoleError } from "@/lib/errors";
import { authorize, authorizeRuntimeSession, may, refusalOf, type Action, type Principal } from "@/lib/auth/policy";

const ACTIONS: Action[] = ["read", "write", "manage_users", "runtime"];

/** The whole table, written out: a change to who may do what must change this test. */
const EXPECTED: Array<[Principal, Action[]]> = [
  [{ kind: "user", role: "owner" }, ["read", "write", "manage_users"]],
  [{ kind: "user", role: "admin" }, ["read", "write"]],
  [{ kind: "user", role: "viewer" }, ["read"]],
  [{ kind: "api_key", role: "owner" }, ["read", "write", "manage_users"]],
  [{ kind: "api_key", role: "admin" }, ["read", "write"]],
  [{ kind: "api_key", role: "viewer" }, ["read"]],
  [{ kind: "api_key", role: "runtime" }, ["runtime"]],
];

describe("policy", () => {
  it.each(EXPECTED)("%o may do exactly %o", (principal, allowed) => {
    for (const action of ACTIONS) {
      expect(may(principal, action)).toBe(allowed.includes(action));
      expect(refusalOf(principal, action) === null).toBe(allowed.includes(action));
    }
  });

  it("says who was refused and what to do instead", () => {
    expect(refusalOf({ kind: "user", role: "viewer" }, "write")).toBe(
      "Your user has the viewer role, which is read-only: ask an owner or admin to make this change",
    );
    expect(refusalOf({ kind: "api_key", role: "viewer" }, "write")).toMatch(/^This API key has the viewer role, which is read-only/);
    expect(refusalOf({ kind: "user", role: "admin" }, "manage_users")).toMatch(/only owners manage users/);
    expect(refusalOf({ kind: "api_key", role: "runtime" }, "read")).toMatch(/only fetches runtime settings/);
    expect(refusalOf({ kind: "api_key", role: "admin" }, "runtime")).toMatch(/runtime API key only/);
  });

  it("throws a permission_error with the refusal", () => {
    expect(() => authorize({ kind: "api_key", role: "viewer" }, "write")).toThrow(ConsoleError);
    expect(() => authorize({ kind: "api_key", role: "viewer" }, "read")).not.toThrow();
  });

  it("lets a runtime key reach only the sessions its scope covers", () => {
    const scope = { kind: "environment" as const, environmentId: "env_a" };
    expect(() => authorizeRuntimeSession(scope, "sesn_1", { environmentId: "env_a" })).not.toThrow();
    expect(() => authorizeRuntimeSession(scope, "sesn_1", { environmentId: "env_b" })).toThrow(/scoped to the sessions of environment env_a/);
    expect(() => authorizeRuntimeSession(scope, "sesn_1", null)).toThrow(/scoped to the sessions of environment env_a/);
  });
});
