// Sign-in: every console page sends a signed-out visitor to /sign-in; wrong passwords are refused
// and, repeated, rate limited with the time to wait; sign-out ends the session.
import { expect, test } from "@playwright/test";
import { admin, SECRET_MARKER, signIn, suffix } from "./support";

const CONSOLE_PAGES = ["/", "/vaults", "/vaults/new", "/vaults/vlt_doesnotexist", "/api-keys", "/audit", "/users"];

for (const path of CONSOLE_PAGES) {
  test(`signed out, ${path} redirects to sign-in`, async ({ page }) => {
    const response = await page.goto(path);
    await expect(page).toHaveURL(/\/sign-in/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    expect(response?.status()).toBeLessThan(400);
  });
}

test("a wrong password is refused, and repeated failures are rate limited with a retry time", async ({ page }) => {
  const email = `nobody-${suffix()}@console.test`;
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(`wrong-${SECRET_MARKER}`);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("That email and password do not match an account.")).toBeVisible();
  // The form keeps what was typed.
  await expect(page.getByLabel("Email")).toHaveValue(email);

  for (let attempt = 2; attempt <= 5; attempt++) {
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  }
  // The fifth failure from this browser starts its first wait; the form says how long.
  await expect(page.getByText(/Too many failed sign-ins\. Try again in \d+ (seconds?|minutes? \(after \d\d:\d\d UTC\))\./)).toBeVisible();
});

test("sign out ends the session", async ({ page }) => {
  await signIn(page, admin());
  await expect(page.getByTestId("user-menu")).toContainText("Owner");
  await page.getByTestId("user-menu").click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/vaults");
  await expect(page).toHaveURL(/\/sign-in/);
});
