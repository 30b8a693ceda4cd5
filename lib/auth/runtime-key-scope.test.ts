import { describe, expect, it } from "vitest";
import { runtimeKeyScopeOf, runtimeScopeRefusal, scopeMayCover } from "@/lib/auth/runtime-key-scope";

const session = { environmentId: "env_1" };

describe("runtime key scope", () => {
  it("lets a session-scoped key fetch only the sessions it lists", () => {
    const scope = runtimeKeyScopeOf({ environmentId: null, sessionIds: ["sesn_a", "sesn_b"] });
    expect(runtimeScopeRefusal(scope, "sesn_a", session)).toBeNull();
    const refusal = runtimeScopeRefusal(scope, "sesn_c", session);
    expect(refusal).toContain("scoped to sessions sesn_a, sesn_b, not sesn_c");
    expect(refusal).toContain("session_ids containing sesn_c");
  });

  it("lets an environment-scoped key fetch the sessions of that environment only", () => {
    const scope = runtimeKeyScopeOf({ environmentId: "env_1", sessionIds: [] });
    expect(runtimeScopeRefusal(scope, "sesn_a", session)).toBeNull();
    expect(runtimeScopeRefusal(scope, "sesn_z", { environmentId: "env_2" })).toContain(
      "scoped to the sessions of environment env_1, and sesn_z is not one of them",
    );
  });

  it("says the same for a missing session as for another environment's, so a refusal reveals no existence", () => {
    const scope = runtimeKeyScopeOf({ environmentId: "env_1", sessionIds: [] });
    const missing = runtimeScopeRefusal(scope, "sesn_z", null);
    expect(missing).not.toBeNull();
    expect(missing).toBe(runtimeScopeRefusal(scope, "sesn_z", { environmentId: "env_2" }));
    expect(missing).not.toContain("env_2");
    const bySessions = runtimeKeyScopeOf({ environmentId: null, sessionIds: ["sesn_a"] });
    expect(runtimeScopeRefusal(bySessions, "sesn_z", null)).toBe(runtimeScopeRefusal(bySessions, "sesn_z", { environmentId: "env_2" }));
  });

  it("needs no lookup to refuse an id outside a session-scoped key, or any id for an unscoped key", () => {
    expect(scopeMayCover(runtimeKeyScopeOf({ environmentId: null, sessionIds: ["sesn_a"] }), "sesn_a")).toBe(true);
    expect(scopeMayCover(runtimeKeyScopeOf({ environmentId: null, sessionIds: ["sesn_a"] }), "sesn_b")).toBe(false);
    expect(scopeMayCover(runtimeKeyScopeOf({ environmentId: "env_1", sessionIds: [] }), "sesn_b")).toBe(true);
    expect(scopeMayCover(runtimeKeyScopeOf({ environmentId: null, sessionIds: [] }), "sesn_a")).toBe(false);
  });

  it("refuses a key without a scope (made before scoping) and says to create a scoped one", () => {
    const scope = runtimeKeyScopeOf({ environmentId: null, sessionIds: [] });
    expect(scope).toEqual({ kind: "none" });
    expect(runtimeScopeRefusal(scope, "sesn_a", session)).toMatch(/no scope.*Create a runtime key with session_ids or environment_id/);
  });

  it("names at most a few sessions of a long list", () => {
    const sessionIds = Array.from({ length: 12 }, (_, index) => `sesn_${index}`);
    const refusal = runtimeScopeRefusal(runtimeKeyScopeOf({ environmentId: null, sessionIds }), "sesn_a", session) ?? "";
    expect(refusal).toContain("sesn_0, sesn_1, sesn_2, sesn_3, sesn_4 and 7 more");
  });
});
