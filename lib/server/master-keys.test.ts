import { randomBytes } from "node:crypto";
import { stat, unlink } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { masterKeyFromBase64 } from "@/lib/crypto/envelope";
import { ConfigError } from "@/lib/env";
import { ConsoleError } from "@/lib/errors";
import * as instances from "@/lib/instances";
import { SYSTEM_CONTEXT } from "@/lib/server/audit";
import { openCredentialSecret } from "@/lib/server/credential-secrets";
import { createCredential } from "@/lib/server/credentials";
import { rewrapStoredSecrets } from "@/lib/server/key-rotation";
import { setUpEmbeddedConsole } from "@/lib/server/testing/embedded-console";
import { createVault } from "@/lib/server/vaults";

function newKey(): string {
  return randomBytes(32).toString("base64");
}

// Booted as scripts/start.ts and keys:rotate boot it.
const embedded = setUpEmbeddedConsole("master-keys");
const shutDown = () => embedded.shutDown();

async function boot(extra: Record<string, string> = {}, options: { allowMissingKeys?: boolean } = {}): Promise<void> {
  await embedded.boot(extra, options);
}

async function bootRefusal(extra: Record<string, string> = {}): Promise<ConfigError> {
  const error = await boot(extra).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error, "the boot was refused").toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

async function storeCredential(label: string): Promise<string> {
  const vault = await createVault({ display_name: `Keys ${label}`, metadata: {} }, SYSTEM_CONTEXT);
  const credential = await createCredential(
    vault.id,
    {
      auth: {
        type: "static_bearer",
        token: `sk-ant-CANARYSECRET-${randomBytes(12).toString("hex")}`,
        mcp_server_url: `https://mcp-${label}.example.com/sse`,
      },
    },
    SYSTEM_CONTEXT,
  );
  return credential.id;
}

describe("master keys at boot", () => {
  it("refuses a different CONSOLE_MASTER_KEY, naming the key the rows need, and starts once it is accepted", { timeout: 90_000 }, async () => {
    const oldKey = newKey();
    const oldKeyId = masterKeyFromBase64(oldKey).id;
    await boot({ CONSOLE_MASTER_KEY: oldKey });
    const credentialId = await storeCredential("wrong-key");
    await shutDown();

    const wrongKey = newKey();
    const refusal = await bootRefusal({ CONSOLE_MASTER_KEY: wrongKey });
    expect(refusal.message).toContain(oldKeyId);
    expect(refusal.message).toContain("CONSOLE_MASTER_KEY_ACCEPTED");
    expect(refusal.message).not.toContain(oldKey);
    expect(refusal.message).not.toContain(wrongKey);

    // The new key active, the old one accepted: phase (b) of a rotation.
    await boot({ CONSOLE_MASTER_KEY: wrongKey, CONSOLE_MASTER_KEY_ACCEPTED: oldKey });
    const [keyring, prisma] = [instances.keyring(), instances.db()];
    expect(keyring.active.id).toBe(masterKeyFromBase64(wrongKey).id);
    expect(keyring.byId.has(oldKeyId)).toBe(true);
    const checks = await prisma.masterKeyCheck.findMany({ select: { keyId: true } });
    expect(checks.map((row) => row.keyId).sort()).toEqual([oldKeyId, keyring.active.id].sort());
    const report = await rewrapStoredSecrets();
    expect(report).toMatchObject({ rewrapped: 1, leftCount: 0 });
    expect((await prisma.vaultCredential.findUniqueOrThrow({ where: { id: credentialId } })).secretKeyId).toBe(keyring.active.id);
  });

  it("refuses rather than generating a key when master.key was deleted, even before any secret was stored", { timeout: 90_000 }, async () => {
    await boot();
    const generated = embedded.booted?.generatedMasterKeyFile;
    expect(generated).toBeDefined();
    const firstKeyId = instances.keyring().active.id;
    await shutDown();

    // Only the key-check row records that this database was used with a key.
    await unlink(generated ?? "");
    const emptyRefusal = await bootRefusal();
    expect(emptyRefusal.message).toContain(firstKeyId);
    await expect(stat(generated ?? "")).rejects.toThrow(/ENOENT/);
  });

  it("keys:rotate skips and reports a row it cannot open, and re-wraps the rest", { timeout: 90_000 }, async () => {
    const oldKey = newKey();
    await boot({ CONSOLE_MASTER_KEY: oldKey });
    const good = [await storeCredential("good-1"), await storeCredential("good-2")];
    const damaged = await storeCredential("damaged");
    const prisma = instances.db();
    const row = await prisma.vaultCredential.findUniqueOrThrow({ where: { id: damaged } });
    const blob = Uint8Array.from(row.secretCiphertext ?? []);
    blob[5] = (blob[5] ?? 0) ^ 0xff;
    await prisma.vaultCredential.update({ where: { id: damaged }, data: { secretCiphertext: blob } });
    await shutDown();

    await boot({ CONSOLE_MASTER_KEY: newKey(), CONSOLE_MASTER_KEY_ACCEPTED: oldKey });
    const report = await rewrapStoredSecrets();
    expect(report.rewrapped).toBe(2);
    expect(report.leftCount).toBe(1);
    expect(report.left).toEqual([{ credentialId: damaged, keyId: masterKeyFromBase64(oldKey).id, reason: expect.stringContaining("does not open") }]);
    const moved = await instances.db().vaultCredential.findMany({ where: { id: { in: good } }, select: { secretKeyId: true } });
    expect(moved.map((entry) => entry.secretKeyId)).toEqual([report.activeKeyId, report.activeKeyId]);
  });

  it("keys:rotate boots despite a key it lacks, and reports the rows sealed under it", { timeout: 90_000 }, async () => {
    const lostKey = newKey();
    await boot({ CONSOLE_MASTER_KEY: lostKey });
    const lost = await storeCredential("lost");
    await shutDown();

    const currentKey = newKey();
    await boot({ CONSOLE_MASTER_KEY: currentKey }, { allowMissingKeys: true });
    expect(embedded.booted?.missingMasterKeys).toEqual([{ keyId: masterKeyFromBase64(lostKey).id, rows: 1 }]);
    const report = await rewrapStoredSecrets();
    expect(report).toMatchObject({ rewrapped: 0, leftCount: 1 });
    expect(report.left[0]).toMatchObject({ credentialId: lost, keyId: masterKeyFromBase64(lostKey).id });
    expect(report.left[0]?.reason).toContain("not loaded");

    // At run time the same row is a 503 that names the key, never a bare 500.
    const row = await instances.db().vaultCredential.findUniqueOrThrow({ where: { id: lost } });
    const error = (() => {
      try {
        openCredentialSecret({ id: lost, secretKeyId: row.secretKeyId ?? "" }, row.secretCiphertext ?? new Uint8Array());
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ConsoleError);
    expect((error as ConsoleError).status).toBe(503);
    expect((error as ConsoleError).type).toBe("api_error");
    expect((error as ConsoleError).message).toContain(masterKeyFromBase64(lostKey).id);
  });
});
