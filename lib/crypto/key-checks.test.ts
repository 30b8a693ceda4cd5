import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createKeyring, masterKeyFromBase64, type MasterKey } from "@/lib/crypto/envelope";
import { auditKeyring, keyOpensCheck, lostKeyFileMessage, missingKeysMessage, sealKeyCheck } from "@/lib/crypto/key-checks";

function newMasterKey(): MasterKey {
  return masterKeyFromBase64(randomBytes(32).toString("base64"));
}

describe("key-check rows", () => {
  it("open under their own key only", () => {
    const key = newMasterKey();
    const check = sealKeyCheck(key);
    expect(keyOpensCheck(key, check)).toBe(true);
    expect(keyOpensCheck(newMasterKey(), check)).toBe(false);
  });

  it("do not open when damaged, or when another key's check is presented as this key's", () => {
    const key = newMasterKey();
    const damaged = sealKeyCheck(key);
    damaged[damaged.length - 1] = (damaged[damaged.length - 1] ?? 0) ^ 1;
    expect(keyOpensCheck(key, damaged)).toBe(false);
    const other = newMasterKey();
    // The same key under another id's context (a row copied between ids) fails too.
    expect(keyOpensCheck({ id: other.id, key: key.key }, sealKeyCheck(key))).toBe(false);
  });
});

describe("auditKeyring", () => {
  const active = newMasterKey();
  const accepted = newMasterKey();
  const keyring = createKeyring(active, [accepted]);

  it("finds nothing wrong when every key sealed rows name is loaded and checks open", () => {
    const sealed = new Map([
      [active.id, 3],
      [accepted.id, 1],
    ]);
    const checks = [active, accepted].map((key) => ({ keyId: key.id, check: sealKeyCheck(key) }));
    expect(auditKeyring(keyring, sealed, checks)).toEqual({ missing: [], failedChecks: [], unrecorded: [] });
  });

  it("names each key sealed rows need that is not loaded, with its row count", () => {
    const lost = newMasterKey();
    const audit = auditKeyring(
      keyring,
      new Map([
        [active.id, 2],
        [lost.id, 5],
      ]),
      [],
    );
    expect(audit.missing).toEqual([{ keyId: lost.id, rows: 5 }]);
    expect(audit.unrecorded.map((key) => key.id).sort()).toEqual([active.id, accepted.id].sort());
    const message = missingKeysMessage(audit.missing, keyring, "/data/master.key");
    expect(message).toContain(lost.id);
    expect(message).toContain("5 sealed rows");
    expect(message).toContain("CONSOLE_MASTER_KEY_ACCEPTED");
    expect(message).toContain("/data/master.key");
    expect(message).toContain(`${active.id} (active)`);
    expect(message).not.toContain(active.key.toString("base64"));
  });

  it("reports a loaded key that fails to open its own check row", () => {
    const forged = { keyId: active.id, check: sealKeyCheck(newMasterKey()) };
    expect(auditKeyring(keyring, new Map(), [forged]).failedChecks).toEqual([active.id]);
  });

  it("explains a lost key file by the keys the database was used with", () => {
    const message = lostKeyFileMessage("/data/master.key", [{ keyId: "mk_aaaa", rows: 2 }], ["mk_aaaa"]);
    expect(message).toContain("mk_aaaa (2 sealed rows)");
    expect(message).toContain("never generated");
    expect(lostKeyFileMessage("/data/master.key", [], ["mk_bbbb"])).toContain("mk_bbbb");
  });
});
