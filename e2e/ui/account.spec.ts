// Users change their own password on the account page (SPEC §9): the current password is required
// and a wrong one is refused beside its field; a change ends every other session of the user at
// once (a copy of another browser's cookie is refused) while this browser stays signed in.
import { expect, test } from "@playwright/test";
import { ALIVE, DEAD, replayCookies, signedInContext } from "./copied-cookies";
import { admin, createUserAs, SECRET_MARKER, signIn, suffix } from "./support";

// Several sign-ins and password hashes (scrypt each): more than the default 30 s on a busy machine.
test.describe.configure({ timeout: 120_000 });

test("signed out, /account redirects to sign-in", async ({ page }) => {
  await page.goto("/account");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("a user changes their own password; other sessions end, this one stays", async ({ page, browser }) => {
  await signIn(page, admin());
  const user = await createUserAs(page, "viewer");
  const other = await signedInContext(browser, user);
  const otherCookies = await other.context.cookies();
  const mine = await signedInContext(browser, user);

  await mine.page.getByTestId("user-menu").click();
  await mine.page.getByRole("menuitem", { name: "Account and password" }).click();
  await expect(mine.page).toHaveURL(/\/account$/);
  await expect(mine.page.getByRole("heading", { level: 1, name: "Account" })).toBeVisible();
  await expect(mine.page.getByText(user.email).first()).toBeVisible();

  const form = mine.page.getByRole("form", { name: "Change password" });
  const current = form.getByLabel("Current password");
  const next = form.getByLabel("New password", { exact: true });
  const confirmation = form.getByLabel("Confirm new password");
  const submit = form.getByRole("button", { name: "Change password" });
  const newPassword = `new-${SECRET_MARKER}-${suffix()}`;

  // A wrong current password: refused beside its field, nothing changes, what was typed stays.
  await current.fill(`wrong-${SECRET_MARKER}-${suffix()}`);
  await next.fill(newPassword);
  await confirmation.fill(newPassword);
  await submit.click();
  await expect(current).toHaveAttribute("aria-invalid", "true");
  await expect(current).toHaveAccessibleDescription("Current password is incorrect");
  await expect(next).toHaveValue(newPassword);
  expect(await replayCookies(browser, otherCookies)).toEqual(ALIVE);

  // The shared rules: a short new password and a confirmation that differs, each beside its field.
  await current.fill(user.password);
  await next.fill("short");
  await confirmation.fill("different");
  await submit.click();
  await expect(next).toHaveAccessibleDescription(/New password must be at least 12 characters/);
  await next.fill(newPassword);
  await submit.click();
  await expect(confirmation).toHaveAccessibleDescription("The confirmation does not match the new password");

  await confirmation.fill(newPassword);
  await submit.click();
  await expect(form.getByText("Password changed.")).toBeVisible();
  await expect(current).toHaveValue("");

  // This browser stays signed in; the other one's cookie (and any copy of it) is dead.
  await mine.page.goto("/vaults");
  await expect(mine.page.getByRole("heading", { level: 1, name: "Vaults" })).toBeVisible();
  expect(await replayCookies(browser, otherCookies)).toEqual(DEAD);

  // The old password no longer signs in; the new one does.
  const fresh = await browser.newContext();
  const freshPage = await fresh.newPage();
  await freshPage.goto("/sign-in");
  await freshPage.getByLabel("Email").fill(user.email);
  await freshPage.getByLabel("Password").fill(user.password);
  await freshPage.getByRole("button", { name: "Sign in" }).click();
  await expect(freshPage.getByText("That email and password do not match an account.")).toBeVisible({ timeout: 20_000 });
  await signIn(freshPage, { email: user.email, password: newPassword });

  await fresh.close();
  await other.context.close();
  await mine.context.close();
});
