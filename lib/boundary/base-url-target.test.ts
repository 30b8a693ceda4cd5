import { describe, expect, it } from "vitest";
import { resolveBoundaryTarget, type OpenSecret } from "@/lib/boundary/base-url-target";
import { NO_PRIVATE_ENDPOINTS } from "@/lib/boundary/endpoint-policy";
import { BOUNDARY_LOOKUP_CHANNEL, createBoundaryLookup, type BoundaryRow } from "@/lib/boundary/lookup";
import { hashPlaceholder, newPlaceholder } from "@/lib/boundary/placeholders";
import { boundaryRow } from "@/lib/boundary/boundary-row.fixture";
import { RESERVED_KEYS } from "@/lib/validation/reserved-metadata";
import type { PreparedQuery, RememberedRowsCoherence } from "@/lib/open-database";

/** A row whose sealed token is the one byte `secret`, so a test can tell which row was opened. */
function row(secret: number, overrides: Partial<BoundaryRow> = {}): BoundaryRow {
  return boundaryRow({ secret_ciphertext: new Uint8Array([secret]), ...overrides });
}

/** "Opens" a one-byte blob as token-<byte>, counting the openings. */
function countingOpener(): { openSecret: OpenSecret; opened: () => number } {
  let opened = 0;
  return {
    openSecret: (_credential, blob) => {
      opened++;
      return `token-${blob[0]}`;
    },
    opened: () => opened,
  };
}

/**
 * The embedded database as the boundary sees it: reads answer new row objects from what the test
 * stored, and a write sends its change notice before it returns (as PGlite's triggers do).
 */
function embeddedDatabase(placeholder: string) {
  let stored = row(1);
  let notify: () => void = () => undefined;
  const preparedQuery = (async (_statement, values) => (values[0] === hashPlaceholder(placeholder) ? [{ ...stored }] : [])) as PreparedQuery;
  const rememberedRows: RememberedRowsCoherence = {
    watch: async (channel, onChange) => {
      if (channel === BOUNDARY_LOOKUP_CHANNEL) notify = onChange;
    },
    trustedForMs: () => Number.POSITIVE_INFINITY,
  };
  return {
    database: { preparedQuery, rememberedRows },
    write(next: BoundaryRow) {
      stored = next;
      notify();
    },
  };
}

describe("resolveBoundaryTarget", () => {
  it("opens a credential's token once while its sealed bytes stay the same, and anew when they change", async () => {
    const placeholder = newPlaceholder();
    const opener = countingOpener();
    let current = row(1, { credential_id: "vcrd_same_row" });
    const options = { lookup: async () => current, openSecret: opener.openSecret, privateEndpoints: NO_PRIVATE_ENDPOINTS };
    for (let call = 0; call < 3; call++) expect((await resolveBoundaryTarget(options, "sesn_1", placeholder)).token).toBe("token-1");
    expect(opener.opened()).toBe(1);
    current = row(2, { credential_id: "vcrd_same_row" });
    expect((await resolveBoundaryTarget(options, "sesn_1", placeholder)).token).toBe("token-2");
    expect(opener.opened()).toBe(2);
  });

  it("sends the rotated token from the very next request, and refuses an archived vault at once, on the embedded database", async () => {
    const placeholder = newPlaceholder();
    const embedded = embeddedDatabase(placeholder);
    const opener = countingOpener();
    const options = { lookup: await createBoundaryLookup(embedded.database), openSecret: opener.openSecret, privateEndpoints: NO_PRIVATE_ENDPOINTS };
    expect((await resolveBoundaryTarget(options, "sesn_1", placeholder)).token).toBe("token-1");
    expect((await resolveBoundaryTarget(options, "sesn_1", placeholder)).token).toBe("token-1");
    expect(opener.opened()).toBe(1);

    embedded.write(row(2, { credential_id: "vcrd_2" }));
    expect((await resolveBoundaryTarget(options, "sesn_1", placeholder)).token).toBe("token-2");

    embedded.write(row(2, { credential_id: "vcrd_2", vault_archived: true }));
    await expect(resolveBoundaryTarget(options, "sesn_1", placeholder)).rejects.toThrow(/archived/);
    embedded.write(row(2, { credential_id: "vcrd_2", revoked: true }));
    await expect(resolveBoundaryTarget(options, "sesn_1", placeholder)).rejects.toThrow(/revoked/);
  });

  it("reuses the token where every read returns a new row (PostgreSQL), until the bytes or their key change", async () => {
    const placeholder = newPlaceholder();
    const opener = countingOpener();
    let stored = row(7, { credential_id: "vcrd_per_request" });
    const options = {
      lookup: async () => ({ ...stored, secret_ciphertext: Uint8Array.from(stored.secret_ciphertext ?? []) }),
      openSecret: opener.openSecret,
      privateEndpoints: NO_PRIVATE_ENDPOINTS,
    };
    for (let call = 0; call < 3; call++) expect((await resolveBoundaryTarget(options, "sesn_1", placeholder)).token).toBe("token-7");
    expect(opener.opened()).toBe(1);
    // A master key rotation re-wraps the same token under another key: opened again from the new bytes.
    stored = { ...stored, secret_key_id: "mk_next" };
    await resolveBoundaryTarget(options, "sesn_1", placeholder);
    expect(opener.opened()).toBe(2);
    stored = row(8, { credential_id: "vcrd_per_request", secret_key_id: "mk_next" });
    expect((await resolveBoundaryTarget(options, "sesn_1", placeholder)).token).toBe("token-8");
    expect(opener.opened()).toBe(3);
  });

  it("decides again per call what time or the policy may change, for a row object already resolved", async () => {
    const placeholder = newPlaceholder();
    const opener = countingOpener();
    const remembered = row(3, {
      credential_id: "vcrd_remembered",
      vault_metadata: { [RESERVED_KEYS.llmBaseUrl]: "http://127.0.0.1:9" },
      endpoint_origin: "http://127.0.0.1:9",
      expires_at: new Date(Date.now() + 300).toISOString(),
    });
    const allowLoopback = { lookup: async () => remembered, openSecret: opener.openSecret, privateEndpoints: new Set(["127.0.0.1"]) };
    for (let call = 0; call < 2; call++)
      expect((await resolveBoundaryTarget(allowLoopback, "sesn_1", placeholder)).upstreamBase.origin).toBe("http://127.0.0.1:9");
    // The same object under a door whose policy refuses the host: refused, not served from the first decision.
    await expect(resolveBoundaryTarget({ ...allowLoopback, privateEndpoints: NO_PRIVATE_ENDPOINTS }, "sesn_1", placeholder)).rejects.toThrow(/will not send/);
    expect((await resolveBoundaryTarget(allowLoopback, "sesn_1", placeholder)).token).toBe("token-3");
    await new Promise((resolve) => setTimeout(resolve, 350));
    await expect(resolveBoundaryTarget(allowLoopback, "sesn_1", placeholder)).rejects.toThrow(/expired/);
    await expect(resolveBoundaryTarget(allowLoopback, "sesn_2", placeholder)).rejects.toThrow(/Unknown or revoked/);
  });
});
