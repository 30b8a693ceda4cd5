import { describe, expect, it } from "vitest";
import { tokenHint } from "@/lib/crypto/token-hint";

describe("tokenHint", () => {
  it.each(["", "a", "short-token", "x".repeat(15)])("gives no hint for %j (under 16 characters)", (secret) => {
    expect(tokenHint(secret)).toBeNull();
  });

  it("shows … and the last 4 characters from 16 characters on", () => {
    expect(tokenHint("0123456789abA1b2")).toBe("…A1b2");
    expect(tokenHint(`sk-ant-${"z".repeat(100)}WXYZ`)).toBe("…WXYZ");
  });

  it("never shows more than the last 4 characters", () => {
    const hint = tokenHint("abcdefghijklmnopqrstuvwxyz");
    expect(hint).toBe("…wxyz");
    expect(Array.from(hint ?? "")).toHaveLength(5);
  });

  it("counts characters, not UTF-16 units or bytes", () => {
    // 15 emoji are 30 UTF-16 units and 60 bytes, but still only 15 characters.
    expect(tokenHint("🔑".repeat(15))).toBeNull();
    expect(tokenHint("🔑".repeat(12) + "a🔒b🔓")).toBe("…a🔒b🔓");
  });

  it("does not split a surrogate pair at the edge of the hint", () => {
    const hint = tokenHint("x".repeat(16) + "😀😀😀😀");
    expect(hint).toBe("…😀😀😀😀");
  });
});
