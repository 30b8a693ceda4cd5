// Issue 9 items 6 and 7 in a real browser: a `next` value never takes the signed-in browser to
// another origin (and nothing answers 5xx); a page on another loopback port cannot frame the
// signed-in console; every page carries a CSP whose nonce is new on each request, and the console's
// own pages never trip it.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { admin, baseUrl, ownerSdk, signIn, uniqueName } from "./support";

/** A server of the test's own on another loopback port: a landing page for redirects, or a framer. */
async function startSideServer(html: (path: string) => string): Promise<{ server: Server; origin: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(request.url ?? "/");
    response.writeHead(200, { "content-type": "text/html" });
    response.end(html(request.url ?? "/"));
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", () => listening()));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((closed) => server.close(() => closed()));
}

/** Records 5xx answers and CSP violations the page meets. */
function watch(page: Page): { serverErrors: string[]; violations: string[] } {
  const serverErrors: string[] = [];
  const violations: string[] = [];
  page.on("response", (response) => {
    if (response.status() >= 500) serverErrors.push(`${response.status()} ${response.url()}`);
  });
  page.on("console", (message) => {
    if (/Content[- ]Security[- ]Policy|Refused to (load|execute|apply|connect|frame)/i.test(message.text())) violations.push(message.text());
  });
  return { serverErrors, violations };
}

test.describe("next after sign-in", () => {
  let landing: Awaited<ReturnType<typeof startSideServer>>;

  test.beforeAll(async () => {
    landing = await startSideServer(() => "<h1>landed elsewhere</h1>");
  });

  test.afterAll(async () => {
    await stop(landing.server);
  });

  const hostPort = () => landing.origin.replace("http://", "");
  const oddTargets = () => [
    `/\t/${hostPort()}/landed`,
    `/\n/${hostPort()}/landed`,
    `/\\${hostPort()}/landed`,
    `//${hostPort()}/landed`,
    `/\\\\${hostPort()}/landed`,
    `/.//${hostPort()}/landed`,
    `${landing.origin}/landed`,
    "javascript:alert(1)",
    `/${"x".repeat(5000)}`,
  ];

  test("odd values land on the console's default page, never on another origin, never a 5xx", async ({ browser }) => {
    test.setTimeout(300_000);
    for (const target of oddTargets()) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const seen = watch(page);
      const response = await page.goto(`/sign-in?next=${encodeURIComponent(target)}`);
      expect(response?.status(), JSON.stringify(target)).toBe(200);
      await page.getByLabel("Email").fill(admin().email);
      await page.getByLabel("Password").fill(admin().password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page, JSON.stringify(target)).toHaveURL(`${baseUrl()}/vaults`, { timeout: 20_000 });
      // Signed in now: the sign-in page's own redirect for a signed-in visitor is checked too.
      await page.goto(`/sign-in?next=${encodeURIComponent(target)}`);
      await expect(page, JSON.stringify(target)).toHaveURL(`${baseUrl()}/vaults`, { timeout: 20_000 });
      expect(seen.serverErrors, JSON.stringify(target)).toEqual([]);
      await context.close();
    }
    expect(landing.hits, "requests that reached the other origin").toEqual([]);
  });

  test("the exact value from the report, with a raw tab and a raw newline in the query", async ({ page }) => {
    const seen = watch(page);
    const port = hostPort();
    await page.goto(`/sign-in?next=%2F%09%2F${encodeURIComponent(port)}%2Flanded`);
    await page.getByLabel("Email").fill(admin().email);
    await page.getByLabel("Password").fill(admin().password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${baseUrl()}/vaults`, { timeout: 20_000 });
    const newline = await page.goto(`/sign-in?next=/%0A/${port}/landed`);
    expect(newline?.status()).toBeLessThan(400);
    await expect(page).toHaveURL(`${baseUrl()}/vaults`, { timeout: 20_000 });
    expect(seen.serverErrors).toEqual([]);
    expect(landing.hits).toEqual([]);
  });

  test("a deep link survives signing in", async ({ page }) => {
    await page.goto("/audit?action=vault.create");
    await expect(page).toHaveURL(/\/sign-in\?next=/);
    await page.getByLabel("Email").fill(admin().email);
    await page.getByLabel("Password").fill(admin().password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${baseUrl()}/audit?action=vault.create`, { timeout: 20_000 });
  });
});

test("a page on another loopback port cannot frame the signed-in console", async ({ page }) => {
  const framer = await startSideServer(() => `<h1>framer</h1><iframe id="console" src="${baseUrl()}/vaults" width="800" height="600"></iframe>`);
  try {
    await signIn(page);
    const refusals: string[] = [];
    page.on("console", (message) => {
      if (/frame-ancestors|X-Frame-Options|Refused to (display|frame)/i.test(message.text())) refusals.push(message.text());
    });
    await page.goto(framer.origin);
    await expect(page.getByRole("heading", { name: "framer" })).toBeVisible();
    // Give the frame time to load whatever it is going to load.
    await page.waitForTimeout(1500);
    const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
    expect(frame, "the iframe exists").toBeDefined();
    const content = frame
      ? await frame
          .locator("body")
          .innerText()
          .catch(() => "")
      : "";
    expect(content, "the framed console shows nothing of itself").not.toMatch(/Vaults|Sign out|Credential console/);
    expect(frame?.url() ?? "", "the frame never became the console").not.toBe(`${baseUrl()}/vaults`);
    expect(refusals.length, "Chromium reports the refusal").toBeGreaterThan(0);
  } finally {
    await stop(framer.server);
  }
});

test("every page carries a CSP whose nonce differs per request", async ({ page }) => {
  const first = await page.goto("/sign-in");
  const second = await page.goto("/sign-in");
  const nonce = (policy: string | undefined) => /'nonce-([^']+)'/.exec(policy ?? "")?.[1];
  const [a, b] = [nonce(first?.headers()["content-security-policy"]), nonce(second?.headers()["content-security-policy"])];
  expect(a).toBeTruthy();
  expect(b).toBeTruthy();
  expect(a).not.toBe(b);
  expect(first?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  // Next put this response's nonce on its scripts (the browser hides it from getAttribute).
  const scriptNonces = await page.locator("script").evaluateAll((scripts) => scripts.map((script) => (script as HTMLScriptElement).nonce));
  expect(scriptNonces.length).toBeGreaterThan(0);
  expect(new Set(scriptNonces)).toEqual(new Set([b]));
});

test("the console's pages run without a single CSP violation", async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => {
    const store = window as unknown as { __cspViolations: string[] };
    store.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      store.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  const seen = watch(page);
  const vault = await ownerSdk().beta.vaults.create({ display_name: uniqueName("csp") });
  const violationsOnPage = () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);

  await page.goto("/sign-in");
  await page.waitForLoadState("networkidle");
  expect(await violationsOnPage(), "/sign-in").toEqual([]);
  await signIn(page);
  for (const path of [
    "/vaults",
    "/vaults/new",
    `/vaults/${vault.id}`,
    "/sessions",
    "/sessions/new",
    "/agents",
    "/agents/new",
    "/environments",
    "/environments/new",
    "/api-keys",
    "/audit",
    "/users",
    "/no-such-page",
  ]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    expect(await violationsOnPage(), path).toEqual([]);
  }
  // Client-side navigation, a dialog and a form round trip as well.
  await page.goto("/vaults");
  await page.getByRole("link", { name: "API keys" }).first().click();
  await expect(page).toHaveURL(/\/api-keys$/);
  await page.goto("/users");
  await page.getByRole("button", { name: "New user" }).click();
  await expect(page.getByRole("dialog", { name: "New user" })).toBeVisible();
  await page.keyboard.press("Escape");
  await page.goto("/vaults/new");
  await page.getByRole("button", { name: "Create vault" }).click();
  await page.waitForLoadState("networkidle");
  expect(await violationsOnPage(), "after navigating, a dialog and a form").toEqual([]);
  expect(seen.violations, "CSP messages in the console").toEqual([]);
  expect(seen.serverErrors).toEqual([]);
});
