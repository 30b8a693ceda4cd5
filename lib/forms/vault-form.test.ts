import { describe, expect, it } from "vitest";
import { vaultEditPatch, type VaultFormValues } from "@/lib/forms/vault-form";

const RESERVED = "sandbox0.managed_agents.";

function values(patch: Partial<VaultFormValues>): VaultFormValues {
  return { kind: "llm", displayName: "v", baseUrl: "", targetDomains: "", headersJson: "", protocol: "", tlsMode: "", failurePolicy: "", rows: [], ...patch };
}

describe("vaultEditPatch", () => {
  const llm = { [`${RESERVED}role`]: "llm", [`${RESERVED}engine`]: "claude", [`${RESERVED}llm_base_url`]: "https://gw.example.com", team: "a" };

  it("sends only what changed: nothing for an untouched form, never the role or engine", () => {
    expect(vaultEditPatch(llm, values({ baseUrl: "https://gw.example.com" }), [{ key: "team", value: "a" }])).toEqual({});
  });

  it("an emptied base URL deletes the key (the default applies); rows upsert and removed rows delete", () => {
    expect(vaultEditPatch(llm, values({ baseUrl: " " }), [{ key: "cost", value: "7" }])).toEqual({
      [`${RESERVED}llm_base_url`]: null,
      team: null,
      cost: "7",
    });
  });

  it("a header vault sends its changed settings", () => {
    const header = {
      [`${RESERVED}role`]: "credential",
      [`${RESERVED}target_domains`]: "a.example.com",
      [`${RESERVED}headers_json`]: "{}",
      [`${RESERVED}protocol`]: "https",
    };
    const settings = { kind: "credential" as const, headersJson: "{}", protocol: "https", tlsMode: "terminate-reoriginate", failurePolicy: "fail-closed" };
    const patch = vaultEditPatch(header, values({ ...settings, targetDomains: "a.example.com, b.example.com" }), []);
    expect(patch[`${RESERVED}target_domains`]).toBe("a.example.com,b.example.com");
    expect(patch).not.toHaveProperty(`${RESERVED}protocol`);
    expect(patch).not.toHaveProperty(`${RESERVED}role`);
    // Absent optional settings shown at their defaults are not written (they would take pairs).
    expect(vaultEditPatch(header, values({ ...settings, targetDomains: "a.example.com" }), [])).toEqual({});
  });
});
