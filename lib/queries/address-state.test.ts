import { describe, expect, it } from "vitest";
import { patchedSearch, readAddress } from "@/lib/queries/address-state";
import { namedListAddress } from "@/lib/queries/list-state";
import { sessionListAddress } from "@/lib/queries/sessions";
import { vaultListAddress } from "@/lib/queries/vaults";

describe("a list's address", () => {
  it("reads a plain address as every default", () => {
    expect(readAddress(vaultListAddress, new URLSearchParams(""))).toEqual({ q: "", kind: null, page: null, n: 1, archived: false });
  });

  it("reads the server page's searchParams as the browser's, taking the first of a repeated parameter", () => {
    const fromServer = readAddress(sessionListAddress, { agent: ["agent_1", "agent_2"], status: "idle", page: "cur", n: "3", archived: "1" });
    const fromBrowser = readAddress(sessionListAddress, new URLSearchParams("agent=agent_1&agent=agent_2&status=idle&page=cur&n=3&archived=1"));
    expect(fromServer).toEqual({ agent: "agent_1", status: "idle", page: "cur", n: 3, archived: true });
    expect(fromBrowser).toEqual(fromServer);
  });

  it("reads anything malformed as its default", () => {
    const state = readAddress(vaultListAddress, new URLSearchParams("kind=secret&n=-2&archived=true&page="));
    expect(state).toEqual({ q: "", kind: null, page: null, n: 1, archived: false });
    expect(readAddress(namedListAddress, new URLSearchParams("n=1e3")).n).toBe(1);
    expect(readAddress(namedListAddress, new URLSearchParams("n=12345678901")).n).toBe(1);
  });

  it("writes a patch, leaving defaults and nulls out and other parameters as they were", () => {
    expect(patchedSearch(vaultListAddress, "?q=prod&other=x", { kind: "llm", page: "cur", n: 2 })).toBe("?q=prod&other=x&kind=llm&page=cur&n=2");
    expect(patchedSearch(vaultListAddress, "?q=prod&kind=llm&page=cur&n=2", { q: "", page: null, n: null })).toBe("?kind=llm");
    expect(patchedSearch(vaultListAddress, "?archived=1", { archived: false })).toBe("");
    expect(patchedSearch(vaultListAddress, "?n=3", { n: 1 })).toBe("");
  });

  it("round-trips what it writes", () => {
    const search = patchedSearch(namedListAddress, "", { q: "a b&c", archived: true, page: "x/y=", n: 4 });
    expect(readAddress(namedListAddress, new URLSearchParams(search))).toEqual({ q: "a b&c", archived: true, page: "x/y=", n: 4 });
  });
});
