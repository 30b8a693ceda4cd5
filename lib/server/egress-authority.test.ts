import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { addGeneratedKeyToDataDir } from "@/lib/crypto/master-key";
import * as instances from "@/lib/instances";
import { SYSTEM_CONTEXT } from "@/lib/server/audit";
import { egressAuthoritySource, ensureEgressAuthority, rewrapEgressAuthorities, rotateEgressAuthority } from "@/lib/server/egress-authority";
import { keyIdsInUse } from "@/lib/server/key-rotation";
import { setUpEmbeddedConsole } from "@/lib/server/testing/embedded-console";

const console = setUpEmbeddedConsole("egress-ca");

function issuedBy(leafPem: string, caPem: string): boolean {
  return new X509Certificate(leafPem).verify(new X509Certificate(caPem).publicKey);
}

describe("the egress CA in the database", () => {
  it("is created once however many callers race, its key sealed; a rotation purges the old key and signers switch", { timeout: 120_000 }, async () => {
    await console.boot();
    const rows = await Promise.all([ensureEgressAuthority(), ensureEgressAuthority(), ensureEgressAuthority()]);
    expect(new Set(rows.map((row) => row.id)).size).toBe(1);
    const stored = await instances.db().egressAuthority.findMany();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.secretKeyId).toBe(instances.keyring().active.id);
    expect(Buffer.from(stored[0]?.privateKeyCiphertext ?? []).toString("latin1")).not.toContain("PRIVATE KEY");

    // Rotation (one boot for both: each costs seconds): the old key is purged, and a signer re-reads the current CA.
    const before = rows[0]!;
    const signer = egressAuthoritySource(0);
    expect(issuedBy((await (await signer()).leafFor("a.example.com")).certificatePem, before.certificatePem)).toBe(true);
    const { retiredId, currentId } = await rotateEgressAuthority(SYSTEM_CONTEXT);
    expect(retiredId).toBe(before.id);
    const retired = await instances.db().egressAuthority.findUniqueOrThrow({ where: { id: before.id } });
    expect([retired.currentSlot, retired.privateKeyCiphertext, retired.secretKeyId]).toEqual([null, null, null]);
    const after = await ensureEgressAuthority();
    expect(after.id).toBe(currentId);
    const leaf = (await (await signer()).leafFor("a.example.com")).certificatePem;
    expect(issuedBy(leaf, after.certificatePem)).toBe(true);
    expect(issuedBy(leaf, before.certificatePem)).toBe(false);
  });

  it("moves with the master key: keys:rotate re-wraps it, and the embedded key file keeps its key until then", { timeout: 180_000 }, async () => {
    const booted = await console.boot();
    const first = await ensureEgressAuthority();
    const oldKeyId = instances.keyring().active.id;
    await console.shutDown();
    await addGeneratedKeyToDataDir(booted.database.location);
    await console.boot();
    expect(await keyIdsInUse()).toContain(oldKeyId);
    expect(await rewrapEgressAuthorities()).toBe(1);
    const moved = await ensureEgressAuthority();
    expect(moved.id).toBe(first.id);
    expect(moved.secretKeyId).toBe(instances.keyring().active.id);
    expect(await keyIdsInUse()).not.toContain(oldKeyId);
    const leaf = await (await egressAuthoritySource()()).leafFor("b.example.com");
    expect(issuedBy(leaf.certificatePem, first.certificatePem)).toBe(true);
  });
});
