import { describe, expect, it } from "vitest";
import { storedVaultKind, vaultKindOf } from "@/lib/vault-kind";

const R = "sandbox0.managed_agents.";

describe("vaultKindOf", () => {
  it("reads the kind the reserved role key declares", () => {
    expect(vaultKindOf({ [`${R}role`]: "llm", [`${R}engine`]: "claude" })).toBe("llm");
    expect(vaultKindOf({ [`${R}role`]: "credential" })).toBe("credential");
  });

  it("is other for a plain vault or an unknown role, which the row stores as null", () => {
    const plain: Record<string, string>[] = [{}, { team: "research" }, { [`${R}role`]: "admin" }];
    for (const metadata of plain) {
      expect(vaultKindOf(metadata)).toBe("other");
      expect(storedVaultKind(vaultKindOf(metadata))).toBeNull();
    }
    expect(storedVaultKind("llm")).toBe("llm");
  });
});
