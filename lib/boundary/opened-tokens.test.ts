import { describe, expect, it } from "vitest";
import { OpenedTokens } from "@/lib/boundary/opened-tokens";

describe("OpenedTokens", () => {
  it("opens once per credential while the sealed bytes and their key stay the same", () => {
    const tokens = new OpenedTokens();
    let opened = 0;
    const open = (token: string) => () => {
      opened++;
      return token;
    };
    expect(tokens.token("vcrd_a", "key_1", new Uint8Array([1, 2]), open("first"))).toBe("first");
    expect(tokens.token("vcrd_a", "key_1", new Uint8Array([1, 2]), open("unused"))).toBe("first");
    expect(opened).toBe(1);
    expect(tokens.token("vcrd_a", "key_1", new Uint8Array([1, 3]), open("rotated"))).toBe("rotated");
    expect(tokens.token("vcrd_a", "key_2", new Uint8Array([1, 3]), open("rewrapped"))).toBe("rewrapped");
    expect(tokens.token("vcrd_b", "key_2", new Uint8Array([1, 3]), open("other credential"))).toBe("other credential");
    expect(opened).toBe(4);
  });

  it("keeps its own copy of the sealed bytes, so a caller reusing its buffer cannot make a stale token match", () => {
    const tokens = new OpenedTokens();
    const sealed = new Uint8Array([5]);
    tokens.token("vcrd_a", "key_1", sealed, () => "five");
    sealed[0] = 6;
    expect(tokens.token("vcrd_a", "key_1", sealed, () => "six")).toBe("six");
  });

  it("forgets a token unused for five minutes", () => {
    let now = 0;
    const tokens = new OpenedTokens(() => now);
    let opened = 0;
    const open = () => `token-${++opened}`;
    tokens.token("vcrd_a", "key_1", new Uint8Array([1]), open);
    now = 4 * 60_000;
    tokens.forgetIdle();
    expect(tokens.token("vcrd_a", "key_1", new Uint8Array([1]), open)).toBe("token-1");
    now = 9 * 60_000 + 1;
    tokens.forgetIdle();
    expect(tokens.token("vcrd_a", "key_1", new Uint8Array([1]), open)).toBe("token-2");
  });
});
