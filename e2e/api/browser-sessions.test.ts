// Browser sessions live in the database (SPEC §9): signing out through Auth.js's own endpoint
// (POST /api/auth/signout, not only the console's sign-out button) ends the session row, so a copy
// of the cookie taken before is refused by /v1 at once — on every console process — while another
// session of the same user keeps working.
import { describe, expect, it } from "vitest";

import { authCsrf, baseUrl, expectApiError, guardResponses, raw, requiredEnv, secondBaseUrl, signInOverHttp } from "./support";

guardResponses();

/** Signs in as a browser form post would; returns the session cookie as a Cookie header. */
async function signIn(): Promise<string> {
  const { response, cookies } = await signInOverHttp();
  expect(response.status).toBe(302);
  const session = cookies.get("authjs.session-token");
  expect(session, "a session cookie was set").toBeTruthy();
  return `authjs.session-token=${session?.value ?? ""}`;
}

async function readVaults(cookie: string, base = baseUrl()) {
  return raw("GET", "/v1/vaults?limit=1", { baseURL: base, omitApiKey: true, headers: { cookie, "sec-fetch-site": "same-origin" } });
}

describe("sign-out through Auth.js's endpoint", () => {
  it("ends that session at once for every copy of its cookie, on every process; other sessions stay", { timeout: 60_000 }, async () => {
    const signedOut = await signIn();
    const other = await signIn();
    expect((await readVaults(signedOut)).status).toBe(200);

    const { csrfToken, cookieHeader } = await authCsrf(signedOut);
    const response = await fetch(`${baseUrl()}/api/auth/signout`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: `${signedOut}; ${cookieHeader}`, origin: baseUrl() },
      body: new URLSearchParams({ csrfToken, callbackUrl: `${baseUrl()}/sign-in` }),
    });
    expect(response.status).toBe(302);

    // The browser dropped its cookie; a copy of it is refused anyway.
    await expectApiError(await readVaults(signedOut), 401, "authentication_error", "sign in again");
    const second = secondBaseUrl();
    if (second) await expectApiError(await readVaults(signedOut, second), 401, "authentication_error", "sign in again");
    // Nor does Auth.js's own session endpoint report or renew it.
    const session = await fetch(`${baseUrl()}/api/auth/session`, { headers: { cookie: signedOut } });
    expect(JSON.stringify(await session.json())).not.toContain(requiredEnv("CONSOLE_TEST_ADMIN_EMAIL"));

    expect((await readVaults(other)).status).toBe(200);
    if (second) expect((await readVaults(other, second)).status).toBe(200);
  });
});
