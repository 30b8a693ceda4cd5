import { describe, expect, it } from "vitest";
import { runtimeKeyScopeOf, runtimeScopeRefusal } from "@/lib/auth/runtime-key-scope";

const session = { id: "sesn_a", environmentId: "env_1" };

describe("runtime key scope", () => {
  it("lets a session-scoped key fetch only the sessions it lists", () => {
    const scope = runtimeKeyScopeOf({ environmentId: null, sessionIds: ["sesn_a", "sesn_b"] });
    expect(runtimeScopeRefusal(scope, session)).toBeNull();
    const refusal = runtimeScopeRefusal(scope, { id: "sesn_c", environmentId: "env_1" });
    expect(refusal).toContain("scoped to sessions sesn_a, sesn_b, not sesn_c");
    expect(refusal).toContain("environment_id env_1");
  });

  it("lets an environment-scoped key fetch the sessions of that environment only", () => {
    const scope = runtimeKeyScopeOf({ environmentId: "env_1", sessionIds: [] });
    expect(runtimeScopeRefusal(scope, session)).toBeNull();
    expect(runtimeScopeRefusal(scope, { id: "sesn_z", environmentId: "env_2" })).toContain(
      "scoped to the sessions of environment env_1; session sesn_z belongs to environment env_2",
    );
  });

  it("refuses a key without a scope (made before scoping) and says to create a scoped one", () => {
    const scope = runtimeKeyScopeOf({ environmentId: null, sessionIds: [] });
    expect(scope).toEqual({ kind: "none" });
    expect(runtimeScopeRefusal(scope, session)).toMatch(/no scope.*Create a runtime key with session_ids or environment_id/);
  });

  it("names at most a few sessions of a long list", () => {
    const sessionIds = Array.from({ length: 12 }, (_, index) => `sesn_${index}`);
    const refusal = runtimeScopeRefusal(runtimeKeyScopeOf({ environmentId: null, sessionIds }), session) ?? "";
    expect(refusal).toContain("sesn_0, sesn_1, sesn_2, sesn_3, sesn_4 and 7 more");
  });
});
