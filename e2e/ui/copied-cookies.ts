// Helpers for the session-revocation specs: a browser signed in on its own, and what someone
// holding a copy of its cookies gets from a console page and from /v1.
import { expect, type Browser, type BrowserContext, type Cookie, type Page } from "@playwright/test";
import { signIn } from "./support";

/** What the console's own pages send with a /v1 call made by cookie (SPEC §2). */
const SAME_ORIGIN_V1 = { "anthropic-beta": "managed-agents-2026-04-01", "sec-fetch-site": "same-origin" };

export const ALIVE = { page: "console", v1: 200 } as const;
export const DEAD = { page: "sign-in", v1: 401 } as const;

export async function signedInContext(browser: Browser, credentials: { email: string; password: string }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, credentials);
  return { context, page };
}

/** A fresh browser holding only copies of these cookies: a console page or sign-in, and /v1's status. */
export async function replayCookies(browser: Browser, cookies: Cookie[]): Promise<{ page: "console" | "sign-in"; v1: number }> {
  const context = await browser.newContext();
  try {
    await context.addCookies(cookies);
    const page = await context.newPage();
    await page.goto("/vaults");
    const onSignIn = new URL(page.url()).pathname === "/sign-in";
    if (!onSignIn) await expect(page.getByRole("heading", { level: 1, name: "Vaults" })).toBeVisible();
    const response = await context.request.get("/v1/vaults?limit=1", { headers: SAME_ORIGIN_V1 });
    return { page: onSignIn ? "sign-in" : "console", v1: response.status() };
  } finally {
    await context.close();
  }
}
