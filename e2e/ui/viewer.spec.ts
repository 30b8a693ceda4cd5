// A viewer sees everything read-only: no control that changes anything is rendered, a server
// action replayed with the viewer's cookie is refused, and /v1 applies the viewer's role to the
// session cookie.
import { expect, request, test, type Browser, type Page } from "@playwright/test";
import { createLlmVault, createUserAs, ownerSdk, signIn, uniqueName } from "./support";

const BETA = { "anthropic-beta": "managed-agents-2026-04-01" };

async function newSignedInPage(browser: Browser, credentials: { email: string; password: string }): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, credentials);
  return page;
}

test("a viewer gets no mutating controls, and forged writes are refused", async ({ page, browser }) => {
  await signIn(page);
  const viewer = await createUserAs(page, "viewer");
  const name = uniqueName("viewer-target");
  const vaultId = await createLlmVault(page, name);

  // Capture the owner's real "archive vault" action request, without letting it through.
  let captured: { url: string; headers: Record<string, string>; body: string } | null = null;
  await page.route("**/vaults/**", async (route) => {
    const request = route.request();
    if (request.method() === "POST" && request.headers()["next-action"]) {
      captured = { url: request.url(), headers: request.headers(), body: request.postData() ?? "" };
      await route.abort();
      return;
    }
    await route.continue();
  });
  await page.getByRole("button", { name: "Vault actions" }).click();
  await page.getByRole("menuitem", { name: "Archive vault" }).click();
  await page.getByRole("alertdialog", { name: "Archive vault?" }).getByRole("button", { name: "Archive vault" }).click();
  await expect.poll(() => captured !== null).toBe(true);
  await page.unroute("**/vaults/**");

  const viewerPage = await newSignedInPage(browser, viewer);
  await expect(viewerPage.getByTestId("user-menu")).toContainText("Viewer");

  // Read-only pages: no create, add, rotate, archive, delete or revoke controls.
  await expect(viewerPage.getByRole("link", { name: "New vault" })).toHaveCount(0);
  await viewerPage.goto(`/vaults/${vaultId}`);
  await expect(viewerPage.getByRole("heading", { level: 1, name })).toBeVisible();
  for (const control of [/Add token/, /Add credential/, /Archive/, /Delete/, /Rotate/]) {
    await expect(viewerPage.getByRole("button", { name: control })).toHaveCount(0);
  }
  await viewerPage.goto("/vaults/new");
  await expect(viewerPage.getByText("Read-only")).toBeVisible();
  await expect(viewerPage.getByRole("button", { name: "Create vault" })).toHaveCount(0);
  await viewerPage.goto("/api-keys");
  await expect(viewerPage.getByRole("button", { name: "New API key" })).toHaveCount(0);
  await expect(viewerPage.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
  await viewerPage.goto("/users");
  await expect(viewerPage.getByRole("button", { name: "New user" })).toHaveCount(0);

  // Replay the owner's captured action with the viewer's cookie: the action checks the role itself.
  const forged = captured as unknown as { url: string; headers: Record<string, string>; body: string };
  const replay = await viewerPage.request.post(forged.url, {
    headers: {
      "next-action": forged.headers["next-action"] ?? "",
      "content-type": forged.headers["content-type"] ?? "text/plain;charset=UTF-8",
      accept: "text/x-component",
      origin: new URL(forged.url).origin,
      ...(forged.headers["next-router-state-tree"] ? { "next-router-state-tree": forged.headers["next-router-state-tree"] } : {}),
    },
    data: forged.body,
  });
  expect(await replay.text()).toContain("read-only");
  expect((await ownerSdk().beta.vaults.retrieve(vaultId)).archived_at).toBeNull();

  // The same request with no session at all is sent to sign in, and changes nothing either.
  const anonymous = await request.newContext({ baseURL: new URL(forged.url).origin });
  const unauthenticated = await anonymous.post(forged.url, {
    headers: {
      "next-action": forged.headers["next-action"] ?? "",
      "content-type": forged.headers["content-type"] ?? "text/plain;charset=UTF-8",
      accept: "text/x-component",
      origin: new URL(forged.url).origin,
    },
    data: forged.body,
    maxRedirects: 0,
  });
  expect(`${unauthenticated.headers()["x-action-redirect"] ?? ""} ${unauthenticated.headers().location ?? ""}`).toContain("/sign-in");
  expect((await ownerSdk().beta.vaults.retrieve(vaultId)).archived_at).toBeNull();
  await anonymous.dispose();

  // /v1 with the viewer's session cookie, same-origin from the console's own page: read yes, write no.
  const results = await viewerPage.evaluate(async (headers) => {
    const read = await fetch("/v1/vaults?limit=5", { headers });
    const write = await fetch("/v1/vaults", {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ display_name: "forged" }),
    });
    return { read: read.status, write: write.status, writeBody: await write.text() };
  }, BETA);
  expect(results.read).toBe(200);
  expect(results.write).toBe(403);
  expect(results.writeBody).toContain("permission_error");

  await viewerPage.context().close();
});
