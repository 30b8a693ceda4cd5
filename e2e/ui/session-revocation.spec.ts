// Browser sessions end when they should (SPEC §9): a cookie copied before sign-out, or before the
// user was disabled (and enabled again) or had their role changed, opens neither a console page nor
// /v1 afterwards. Each test first proves the copied cookie worked, so none can pass vacuously.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { ALIVE, DEAD, replayCookies, signedInContext } from "./copied-cookies";
import { admin, createUserAs, readToast, signIn } from "./support";

// Several sign-ins (scrypt each) and browser contexts per test: more than the default 30 s on a busy machine.
test.describe.configure({ timeout: 120_000 });

test("sign-out ends this browser's session at once, even for a copy of its cookie; other browsers stay signed in", async ({ browser }) => {
  const first = await signedInContext(browser, admin());
  const second = await signedInContext(browser, admin());
  const copied = await first.context.cookies();
  expect(await replayCookies(browser, copied)).toEqual(ALIVE);

  await first.page.getByTestId("user-menu").click();
  await first.page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(first.page).toHaveURL(/\/sign-in/);

  expect(await replayCookies(browser, copied)).toEqual(DEAD);
  // The same person's other browser keeps its own session.
  expect(await replayCookies(browser, await second.context.cookies())).toEqual(ALIVE);
  await first.context.close();
  await second.context.close();
});

/**
 * A viewer the admin (signed in on `page`) has just made, signed in in a browser of their own, and a
 * copy of that browser's cookies, shown to work before the test revokes anything.
 */
async function viewerWithCopiedCookies(page: Page, browser: Browser) {
  await signIn(page, admin());
  const user = await createUserAs(page, "viewer");
  const theirs = await signedInContext(browser, user);
  const copied = await theirs.context.cookies();
  expect(await replayCookies(browser, copied)).toEqual(ALIVE);
  return { user, theirs, copied };
}

/** The browser that held the cookie is signed out too, and a fresh sign-in works again. */
async function expectSignedOutThenSignIn(theirs: { page: Page }, user: { email: string; password: string }): Promise<void> {
  await theirs.page.goto("/vaults");
  await expect(theirs.page).toHaveURL(/\/sign-in/);
  await signIn(theirs.page, user);
}

test("disabling a user ends their sessions, and enabling them again does not revive an old cookie", async ({ page, browser }) => {
  const { user, theirs, copied } = await viewerWithCopiedCookies(page, browser);

  const row = page.getByRole("row").filter({ hasText: user.email });
  await row.getByRole("button", { name: "Disable" }).click();
  await page.getByRole("alertdialog", { name: "Disable user?" }).getByRole("button", { name: "Disable" }).click();
  await readToast(page, `${user.email} is signed out and cannot sign in.`);
  expect(await replayCookies(browser, copied)).toEqual(DEAD);

  await row.getByRole("button", { name: "Enable" }).click();
  await page.getByRole("alertdialog", { name: "Enable user?" }).getByRole("button", { name: "Enable" }).click();
  await readToast(page, `${user.email} can sign in again.`);
  expect(await replayCookies(browser, copied)).toEqual(DEAD);
  await expectSignedOutThenSignIn(theirs, user);
  await theirs.context.close();
});

test("a role change ends that user's existing sessions", async ({ page, browser }) => {
  const { user, theirs, copied } = await viewerWithCopiedCookies(page, browser);

  await page.getByLabel(`Role of ${user.email}`).selectOption("admin");
  await readToast(page, `${user.email} is now admin.`);

  expect(await replayCookies(browser, copied)).toEqual(DEAD);
  // Signing in again gives a session with the new role.
  await expectSignedOutThenSignIn(theirs, user);
  await expect(theirs.page.getByTestId("user-menu")).toContainText("Admin");
  await theirs.context.close();
});
