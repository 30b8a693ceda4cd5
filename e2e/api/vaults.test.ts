// Vaults through the official SDK (`client.beta.vaults`): SPEC §2 conventions and §3.
import { describe, expect, it } from "vitest";

import { VAULT_KEYS, client, createStaticBearer, createVault, expectApiError, expectTimestamp, guardResponses, raw, uniqueName, type Vault } from "./support";

guardResponses();

const anthropic = client();

function expectVaultShape(vault: Vault): void {
  expect(Object.keys(vault).sort()).toEqual(VAULT_KEYS);
  expect(vault.type).toBe("vault");
  expect(vault.id).toMatch(/^vlt_[A-Za-z0-9_-]{16,}$/);
  expect(typeof vault.display_name).toBe("string");
  expect(vault.metadata !== null && typeof vault.metadata === "object" && !Array.isArray(vault.metadata)).toBe(true);
  expectTimestamp(vault.created_at, "created_at");
  expectTimestamp(vault.updated_at, "updated_at");
  expect(Date.parse(vault.updated_at)).toBeGreaterThanOrEqual(Date.parse(vault.created_at));
}

/** Walks the vault list (newest first) until every wanted id was seen or the list ends. */
async function findInVaultList(wanted: string[], options: { includeArchived?: boolean; limit?: number; stopAt?: string } = {}): Promise<string[]> {
  const seen: string[] = [];
  const remaining = new Set(wanted);
  let page: string | undefined;
  for (let pageCount = 0; pageCount < 500; pageCount += 1) {
    const result = await anthropic.beta.vaults.list({
      limit: options.limit ?? 100,
      ...(options.includeArchived !== undefined ? { include_archived: options.includeArchived } : {}),
      ...(page ? { page } : {}),
    });
    for (const vault of result.data) {
      seen.push(vault.id);
      remaining.delete(vault.id);
    }
    const done = remaining.size === 0 || (options.stopAt !== undefined && seen.includes(options.stopAt));
    if (done || !result.next_page) break;
    page = result.next_page;
  }
  return seen;
}

describe("create and retrieve", () => {
  it("returns exactly the vault object with a vlt_ id, and retrieve returns the same object", async () => {
    const name = uniqueName("shape");
    const vault = await anthropic.beta.vaults.create({ display_name: name, metadata: { team: "payments" } });
    expectVaultShape(vault);
    expect(vault.display_name).toBe(name);
    expect(vault.metadata).toEqual({ team: "payments" });
    expect(vault.archived_at).toBeNull();

    const fetched = await anthropic.beta.vaults.retrieve(vault.id);
    expect(fetched).toEqual(vault);
  });

  it("defaults metadata to an empty object", async () => {
    const vault = await anthropic.beta.vaults.create({ display_name: uniqueName("no metadata") });
    expect(vault.metadata).toEqual({});
  });

  it("gives every vault a different id", async () => {
    const vaults = await Promise.all([1, 2, 3, 4, 5].map(() => createVault(anthropic, "distinct")));
    expect(new Set(vaults.map((vault) => vault.id)).size).toBe(5);
  });

  it("trims display_name and accepts 1 and 255 characters after trimming", async () => {
    const padded = await anthropic.beta.vaults.create({ display_name: "   Payments vault \n\t" });
    expect(padded.display_name).toBe("Payments vault");

    const single = await anthropic.beta.vaults.create({ display_name: "x" });
    expect(single.display_name).toBe("x");

    const longest = "n".repeat(255);
    const max = await anthropic.beta.vaults.create({ display_name: `  ${longest}  ` });
    expect(max.display_name).toBe(longest);
  });

  it("rejects a display_name that is empty, blank, or 256 characters long", async () => {
    for (const displayName of ["", "   \t ", "n".repeat(256)]) {
      await expectApiError(anthropic.beta.vaults.create({ display_name: displayName }), 400, "invalid_request_error", "display_name");
    }
  });
});

describe("update", () => {
  it("renames (trimmed) and keeps metadata when metadata is omitted", async () => {
    const vault = await anthropic.beta.vaults.create({ display_name: uniqueName("rename"), metadata: { a: "1" } });
    const renamed = await anthropic.beta.vaults.update(vault.id, { display_name: "  Renamed vault  " });
    expectVaultShape(renamed);
    expect(renamed.id).toBe(vault.id);
    expect(renamed.display_name).toBe("Renamed vault");
    expect(renamed.metadata).toEqual({ a: "1" });
    expect(renamed.created_at).toBe(vault.created_at);
    expect(Date.parse(renamed.updated_at)).toBeGreaterThanOrEqual(Date.parse(vault.updated_at));
    expect(await anthropic.beta.vaults.retrieve(vault.id)).toEqual(renamed);
  });

  it("patches metadata: a string upserts, null deletes, omitted keys stay", async () => {
    const vault = await anthropic.beta.vaults.create({
      display_name: uniqueName("patch"),
      metadata: { keep: "k", change: "old", remove: "gone" },
    });
    const patched = await anthropic.beta.vaults.update(vault.id, {
      metadata: { change: "new", remove: null, added: "fresh", never_existed: null },
    });
    expect(patched.metadata).toEqual({ keep: "k", change: "new", added: "fresh" });
    expect(patched.display_name).toBe(vault.display_name);
    expect((await anthropic.beta.vaults.retrieve(vault.id)).metadata).toEqual(patched.metadata);
  });

  it("leaves everything as it was for an empty update", async () => {
    const vault = await anthropic.beta.vaults.create({ display_name: uniqueName("noop"), metadata: { a: "1" } });
    const same = await anthropic.beta.vaults.update(vault.id, {});
    expect(same.display_name).toBe(vault.display_name);
    expect(same.metadata).toEqual({ a: "1" });
  });

  it("counts the patched result against the 16-pair limit", async () => {
    const metadata: Record<string, string> = {};
    for (let index = 0; index < 16; index += 1) metadata[`k${index}`] = "v";
    const vault = await anthropic.beta.vaults.create({ display_name: uniqueName("full metadata"), metadata });
    expect(Object.keys(vault.metadata)).toHaveLength(16);

    await expectApiError(anthropic.beta.vaults.update(vault.id, { metadata: { k16: "one too many" } }), 400, "invalid_request_error", "metadata");
    // Replacing one key with another keeps the count at 16.
    const swapped = await anthropic.beta.vaults.update(vault.id, { metadata: { k0: null, k16: "v" } });
    expect(Object.keys(swapped.metadata)).toHaveLength(16);
    expect(swapped.metadata.k16).toBe("v");
    expect(swapped.metadata.k0).toBeUndefined();
  });

  it("rejects an empty or 256-character display_name on update", async () => {
    const vault = await createVault(anthropic, "bad rename");
    for (const displayName of ["", "  ", "n".repeat(256)]) {
      await expectApiError(anthropic.beta.vaults.update(vault.id, { display_name: displayName }), 400, "invalid_request_error", "display_name");
    }
    expect((await anthropic.beta.vaults.retrieve(vault.id)).display_name).toBe(vault.display_name);
  });
});

describe("list", () => {
  it("returns newest first", async () => {
    const first = await createVault(anthropic, "order 1");
    const second = await createVault(anthropic, "order 2");
    const third = await createVault(anthropic, "order 3");
    const seen = await findInVaultList([first.id, second.id, third.id]);
    const positions = [third.id, second.id, first.id].map((id) => seen.indexOf(id));
    expect(
      positions.every((position) => position >= 0),
      "all three vaults are listed",
    ).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("returns {data, next_page} with 20 items by default and honours limit up to 100", async () => {
    // Make sure at least 21 vaults exist whatever the other files are doing.
    await Promise.all(Array.from({ length: 21 }, () => createVault(anthropic, "page filler")));

    const byDefault = await raw("GET", "/v1/vaults");
    expect(byDefault.status).toBe(200);
    const body = byDefault.json as { data: unknown[]; next_page: unknown };
    expect(Object.keys(body).sort()).toEqual(["data", "next_page"]);
    expect(body.data).toHaveLength(20);
    expect(typeof body.next_page).toBe("string");

    const two = await anthropic.beta.vaults.list({ limit: 2 });
    expect(two.data).toHaveLength(2);
    expect(typeof two.next_page).toBe("string");

    const hundred = await anthropic.beta.vaults.list({ limit: 100 });
    expect(hundred.data.length).toBeGreaterThanOrEqual(21);
    expect(hundred.data.length).toBeLessThanOrEqual(100);
    for (const vault of hundred.data) expectVaultShape(vault);
  });

  it("walks every page through the cursor without duplicates or gaps", async () => {
    const created: Vault[] = [];
    for (let index = 0; index < 9; index += 1) created.push(await createVault(anthropic, `walk ${index}`));
    const wanted = created.map((vault) => vault.id);

    const seen = await findInVaultList(wanted, { limit: 4 });
    expect(new Set(seen).size, "no vault appears twice").toBe(seen.length);
    const positions = [...wanted].reverse().map((id) => seen.indexOf(id));
    expect(
      positions.every((position) => position >= 0),
      "every created vault is reached",
    ).toBe(true);
    expect(
      [...positions].sort((a, b) => a - b),
      "newest first across pages",
    ).toEqual(positions);
  });

  it("ends with next_page null", async () => {
    // Vault list walks are open-ended (other files create vaults), so check the end of the list with
    // one big page per request from a cursor near the end.
    let page: string | undefined;
    let last: { data: Vault[]; next_page: string | null } | undefined;
    for (let pageCount = 0; pageCount < 200; pageCount += 1) {
      const result = await anthropic.beta.vaults.list({ limit: 100, include_archived: true, ...(page ? { page } : {}) });
      last = { data: result.data, next_page: result.next_page };
      if (!result.next_page) break;
      page = result.next_page;
    }
    expect(last?.next_page ?? null).toBeNull();
  });

  it("hides archived vaults unless include_archived=true", async () => {
    const before = await createVault(anthropic, "archived neighbour before");
    const archived = await createVault(anthropic, "archived");
    const after = await createVault(anthropic, "archived neighbour after");
    await anthropic.beta.vaults.archive(archived.id);

    const active = await findInVaultList([after.id, before.id], { stopAt: before.id });
    expect(active).toContain(before.id);
    expect(active).toContain(after.id);
    expect(active).not.toContain(archived.id);

    const explicitFalse = await findInVaultList([after.id, before.id], { includeArchived: false, stopAt: before.id });
    expect(explicitFalse).not.toContain(archived.id);

    const all = await findInVaultList([after.id, archived.id, before.id], { includeArchived: true });
    const positions = [after.id, archived.id, before.id].map((id) => all.indexOf(id));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("supports SDK auto-pagination with for await", async () => {
    const created: Vault[] = [];
    for (let index = 0; index < 5; index += 1) created.push(await createVault(anthropic, `auto ${index}`));
    const wanted = new Set(created.map((vault) => vault.id));
    const seen: string[] = [];
    for await (const vault of anthropic.beta.vaults.list({ limit: 2 })) {
      expect(vault.type).toBe("vault");
      seen.push(vault.id);
      if ([...wanted].every((id) => seen.includes(id))) break;
      if (seen.length > 5000) break;
    }
    expect(new Set(seen).size).toBe(seen.length);
    const order = created.map((vault) => seen.indexOf(vault.id)).reverse();
    expect(order.every((position) => position >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});

describe("archive", () => {
  it("sets archived_at, keeps the vault retrievable, and cascades to its active credentials", async () => {
    const vault = await createVault(anthropic, "cascade");
    const first = await createStaticBearer(anthropic, vault.id);
    const second = await createStaticBearer(anthropic, vault.id);
    const alreadyArchived = await createStaticBearer(anthropic, vault.id);
    const earlier = await anthropic.beta.vaults.credentials.archive(alreadyArchived.id, { vault_id: vault.id });
    expect(earlier.archived_at).not.toBeNull();

    const archived = await anthropic.beta.vaults.archive(vault.id);
    expectVaultShape(archived);
    expect(archived.id).toBe(vault.id);
    expectTimestamp(archived.archived_at, "archived_at");
    expect(await anthropic.beta.vaults.retrieve(vault.id)).toEqual(archived);

    const active = await anthropic.beta.vaults.credentials.list(vault.id);
    expect(active.data).toEqual([]);

    for (const credential of [first, second]) {
      const after = await anthropic.beta.vaults.credentials.retrieve(credential.id, { vault_id: vault.id });
      expectTimestamp(after.archived_at, `archived_at of ${credential.id}`);
    }
    const untouched = await anthropic.beta.vaults.credentials.retrieve(alreadyArchived.id, { vault_id: vault.id });
    expect(untouched.archived_at).toBe(earlier.archived_at);

    const everything = await anthropic.beta.vaults.credentials.list(vault.id, { include_archived: true });
    expect(everything.data.map((credential) => credential.id).sort()).toEqual([first.id, second.id, alreadyArchived.id].sort());
    expect(everything.data.every((credential) => credential.archived_at !== null)).toBe(true);
  });

  it("refuses new credentials in an archived vault with 409", async () => {
    const vault = await createVault(anthropic, "archived no new");
    await anthropic.beta.vaults.archive(vault.id);
    await expectApiError(createStaticBearer(anthropic, vault.id), 409, "conflict_error");
    const everything = await anthropic.beta.vaults.credentials.list(vault.id, { include_archived: true });
    expect(everything.data).toEqual([]);
  });

  it("returns 404 for an unknown vault", async () => {
    await expectApiError(anthropic.beta.vaults.archive("vlt_doesnotexist"), 404, "not_found_error");
  });
});

describe("delete", () => {
  it("returns {id, type: vault_deleted} and removes the vault and its credentials for good", async () => {
    const vault = await createVault(anthropic, "delete me");
    const credential = await createStaticBearer(anthropic, vault.id);

    const deleted = await anthropic.beta.vaults.delete(vault.id);
    expect(deleted).toEqual({ id: vault.id, type: "vault_deleted" });

    await expectApiError(anthropic.beta.vaults.retrieve(vault.id), 404, "not_found_error");
    await expectApiError(anthropic.beta.vaults.credentials.retrieve(credential.id, { vault_id: vault.id }), 404, "not_found_error");
    await expectApiError(anthropic.beta.vaults.credentials.list(vault.id), 404, "not_found_error");
    await expectApiError(anthropic.beta.vaults.update(vault.id, { display_name: "x" }), 404, "not_found_error");
    await expectApiError(anthropic.beta.vaults.delete(vault.id), 404, "not_found_error");

    const listed = await findInVaultList([vault.id], { includeArchived: true, limit: 100 });
    expect(listed).not.toContain(vault.id);
  });

  it("deletes an archived vault too", async () => {
    const vault = await createVault(anthropic, "delete archived");
    await anthropic.beta.vaults.archive(vault.id);
    expect(await anthropic.beta.vaults.delete(vault.id)).toEqual({ id: vault.id, type: "vault_deleted" });
    await expectApiError(anthropic.beta.vaults.retrieve(vault.id), 404, "not_found_error");
  });
});
