import { describe, expect, it } from "vitest";
import { diagnosticFix, DIAGNOSTIC_LABELS } from "@/lib/diagnostic-fixes";
import { DIAGNOSTIC_CODES } from "@/lib/serializers/diagnostics";

const context = { sessionId: "sesn_1", llmVaultId: "vlt_1" };

describe("diagnosticFix", () => {
  it("gives every check a readable name without its code", () => {
    for (const code of DIAGNOSTIC_CODES) {
      expect(DIAGNOSTIC_LABELS[code].length, code).toBeGreaterThan(0);
      expect(DIAGNOSTIC_LABELS[code], code).not.toContain("_");
    }
  });

  it("sends vault choices to the session's LLM vault picker, focused", () => {
    for (const code of ["no_llm_vault", "multiple_llm_vaults", "engine_mismatch", "llm_vault_archived"] as const) {
      expect(diagnosticFix(code, context), code).toMatchObject({ label: "Choose an LLM vault", href: "/sessions/sesn_1/edit?focus=llm-vault" });
    }
  });

  it("sends a missing token to the vault page with the add-token dialog open, and an endpoint to the vault's edit dialog", () => {
    expect(diagnosticFix("no_active_credential", context)).toMatchObject({ label: "Add the token", href: "/vaults/vlt_1?add=token" });
    for (const code of ["openai_compatible_endpoint", "llm_endpoint_refused"] as const) {
      expect(diagnosticFix(code, context), code).toMatchObject({ label: "Edit the endpoint", href: "/vaults/vlt_1?edit=vault" });
    }
    for (const code of ["credential_not_static_bearer", "credential_has_mcp_server_url"] as const) {
      expect(diagnosticFix(code, context), code).toMatchObject({ href: "/vaults/vlt_1" });
    }
  });

  it("offers no vault link without one LLM vault, and no button for what only operators can fix", () => {
    expect(diagnosticFix("no_active_credential", { sessionId: "sesn_1", llmVaultId: null })).toBeNull();
    expect(diagnosticFix("master_key_missing", context)).toBeNull();
  });
});
