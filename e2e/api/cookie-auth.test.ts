// The console's pages call /v1 with the signed-in user's session cookie (SPEC §2). It counts only on
// a same-origin request, with the user's role; a cross-site request never authenticates by cookie.
// Also: GET /v1/vaults's console extensions `q` and `kind` (sign-in throttling: sign-in-throttle.test.ts).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { BETA_HEADER, baseUrl, client, expectApiError, guardResponses, llmVaultMetadata, raw, signInOverHttp, uniqueName, type RawResponse } from "./support";

guardResponses();

let sessionCookie = "";

beforeAll(async () => {
  const { response, cookies } = await signInOverHttp();
  expect(response.status).toBe(302);
  const session = cookies.get("authjs.session-token");
  expect(session, "a session cookie was set").toBeDefined();
  expect(session?.attributes).toMatch(/HttpOnly/i);
  expect(session?.attributes).toMatch(/SameSite=Lax/i);
  sessionCookie = `authjs.session-token=${session?.value ?? ""}`;
});

function withCookie(headers: Record<string, string>, cookie = sessionCookie) {
  return { omitApiKey: true, headers: { cookie, ...headers } };
}

const created: string[] = [];
afterAll(async () => {
  for (const id of created)
    await client()
      .beta.vaults.delete(id)
      .catch(() => undefined);
});

describe("/v1 with the admin UI's session cookie", () => {
  it("reads on a same-origin request (Sec-Fetch-Site: same-origin)", async () => {
    const response = await raw("GET", "/v1/vaults?limit=1", withCookie({ "sec-fetch-site": "same-origin" }));
    expect(response.status).toBe(200);
    expect(Array.isArray((response.json as { data: unknown[] }).data)).toBe(true);
  });

  it("writes with the owner's role when the Origin is the console's own", async () => {
    const response = await raw("POST", "/v1/vaults", {
      ...withCookie({ origin: baseUrl() }),
      body: { display_name: uniqueName("cookie write") },
    });
    expect(response.status).toBe(200);
    created.push((response.json as { id: string }).id);
  });

  it("never authenticates a cross-site request by cookie", async () => {
    const crossSite: Record<string, string>[] = [
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { "sec-fetch-site": "cross-site", origin: baseUrl() },
      { origin: "https://evil.example.com" },
      { origin: "null" },
      {},
    ];
    for (const headers of crossSite) {
      const read = await raw("GET", "/v1/vaults", withCookie(headers));
      await expectApiError(read, 401, "authentication_error");
      const write = await raw("POST", "/v1/vaults", { ...withCookie(headers), body: { display_name: "forged" } });
      await expectApiError(write, 401, "authentication_error");
    }
  });

  it("refuses a forged or stale cookie even on a same-origin request", async () => {
    const response = await raw(
      "GET",
      "/v1/vaults",
      withCookie({ "sec-fetch-site": "same-origin" }, `authjs.session-token=${randomBytes(48).toString("base64url")}`),
    );
    await expectApiError(response, 401, "authentication_error", "sign in again");
  });

  it("still needs the beta header", async () => {
    const response = await raw("GET", "/v1/vaults", { ...withCookie({ "sec-fetch-site": "same-origin" }), omitBeta: true });
    await expectApiError(response, 400, "invalid_request_error", BETA_HEADER);
  });

  it("leaves API-key auth as it was: a key wins over a cookie", async () => {
    const response = await raw("GET", "/v1/vaults?limit=1", { headers: { cookie: sessionCookie, "sec-fetch-site": "cross-site" } });
    expect(response.status).toBe(200);
    const badKey = await raw("GET", "/v1/vaults", {
      headers: { cookie: sessionCookie, "sec-fetch-site": "same-origin", "x-api-key": "s0_unknown" },
    });
    await expectApiError(badKey, 401, "authentication_error");
  });
});

describe("GET /v1/vaults: console filters q and kind", () => {
  const tag = `filter${randomBytes(4).toString("hex")}`;
  let llmId = "";
  let plainId = "";

  beforeAll(async () => {
    const anthropic = client();
    llmId = (await anthropic.beta.vaults.create({ display_name: `LLM ${tag} Prod`, metadata: llmVaultMetadata() })).id;
    plainId = (await anthropic.beta.vaults.create({ display_name: `mcp ${tag} tools` })).id;
    created.push(llmId, plainId);
  });

  const ids = (response: RawResponse) => (response.json as { data: { id: string }[] }).data.map((vault) => vault.id);

  it("q matches the display name case-insensitively", async () => {
    const response = await raw("GET", `/v1/vaults?q=${tag.toUpperCase()}`);
    expect(response.status).toBe(200);
    expect(ids(response).sort()).toEqual([llmId, plainId].sort());
  });

  it("kind filters by the reserved role, other meaning none", async () => {
    expect(ids(await raw("GET", `/v1/vaults?q=${tag}&kind=llm`))).toEqual([llmId]);
    expect(ids(await raw("GET", `/v1/vaults?q=${tag}&kind=other`))).toEqual([plainId]);
    expect(ids(await raw("GET", `/v1/vaults?q=${tag}&kind=credential`))).toEqual([]);
  });

  it("q takes % and _ as the characters they are, not as patterns", async () => {
    const percentId = (await client().beta.vaults.create({ display_name: `${tag} 100% off_peak` })).id;
    created.push(percentId);
    expect(ids(await raw("GET", `/v1/vaults?q=${encodeURIComponent(`${tag} 100%`)}`))).toEqual([percentId]);
    expect(ids(await raw("GET", `/v1/vaults?q=${encodeURIComponent(`${tag} 100% OFF_`)}`))).toEqual([percentId]);
    // Patterns would match the other two vaults: `%` anything, `_` any one character.
    expect(ids(await raw("GET", `/v1/vaults?q=${encodeURIComponent(`${tag}%`)}`))).toEqual([]);
    expect(ids(await raw("GET", `/v1/vaults?q=${encodeURIComponent(`${tag.slice(0, -1)}_`)}`))).toEqual([]);
  });

  it("refuses an unknown kind by name", async () => {
    await expectApiError(await raw("GET", "/v1/vaults?kind=openai"), 400, "invalid_request_error", "kind: must be");
  });
});
