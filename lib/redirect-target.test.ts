import { describe, expect, it } from "vitest";
import { DEFAULT_SIGNED_IN_PATH, safeRedirectPath, safeRedirectUrl, signInPathFor } from "@/lib/redirect-target";

const ORIGIN = "http://127.0.0.1:3000";

describe("safeRedirectPath", () => {
  it("keeps paths of the console, with query and fragment", () => {
    expect(safeRedirectPath("/vaults/vlt_1?tab=x#c", ORIGIN)).toBe("/vaults/vlt_1?tab=x#c");
    expect(safeRedirectPath(`${ORIGIN}/sessions`, ORIGIN)).toBe("/sessions");
    expect(safeRedirectPath("/a/../api-keys", ORIGIN)).toBe("/api-keys");
    expect(safeRedirectPath("/%2F%2Fevil.example", ORIGIN)).toBe("/%2F%2Fevil.example");
  });

  it("sends everything else to the default page", () => {
    const refused = [
      "/\t/127.0.0.1:3891/landed",
      "/\n/evil.example",
      "/\r\n/evil.example",
      "\t//evil.example",
      "//evil.example",
      "///evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "/.//evil.example",
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "data:text/html,x",
      "https://evil.example/vaults",
      "http://127.0.0.1:3891/landed",
      "http://user:pw@127.0.0.1:3000/vaults",
      " /vaults",
      "/vaults\u2028",
      "/" + "a".repeat(5000),
      "",
    ];
    for (const value of refused) expect(safeRedirectPath(value, ORIGIN), JSON.stringify(value)).toBe(DEFAULT_SIGNED_IN_PATH);
    for (const value of [undefined, null, 42, ["/a", "/b"]]) expect(safeRedirectPath(value, ORIGIN)).toBe(DEFAULT_SIGNED_IN_PATH);
  });

  it("builds absolute URLs only on the origin", () => {
    expect(safeRedirectUrl("https://evil.example/x", ORIGIN)).toBe(`${ORIGIN}/vaults`);
    expect(safeRedirectUrl("/sign-in", ORIGIN)).toBe(`${ORIGIN}/sign-in`);
  });
});

describe("signInPathFor", () => {
  it("brings a signed-out visitor back to the page they asked for", () => {
    expect(signInPathFor("/vaults/vlt_1?x=1")).toBe("/sign-in?next=%2Fvaults%2Fvlt_1%3Fx%3D1");
    expect(signInPathFor("/sessions?_rsc=abc")).toBe("/sign-in?next=%2Fsessions");
    expect(signInPathFor("/vaults")).toBe("/sign-in");
    expect(signInPathFor(null)).toBe("/sign-in");
    expect(signInPathFor("//evil.example")).toBe("/sign-in");
  });
});
