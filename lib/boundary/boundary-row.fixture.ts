import type { BoundaryRow } from "@/lib/boundary/lookup";

/** A live placeholder's lookup row for the boundary's unit tests: session, LLM vault and sealed token, all usable. */
export function boundaryRow(overrides: Partial<BoundaryRow> = {}): BoundaryRow {
  return {
    session_id: "sesn_1",
    revoked: false,
    expires_at: null,
    session_archived: false,
    vault_id: "vlt_1",
    vault_archived: false,
    vault_metadata: {},
    credential_id: "vcrd_1",
    auth_type: "static_bearer",
    mcp_server_url: null,
    secret_ciphertext: new Uint8Array([1, 2, 3]),
    secret_key_id: "key_1",
    endpoint_origin: "https://api.anthropic.com",
    ...overrides,
  };
}
