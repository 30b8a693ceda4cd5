// The session page's Runtime panel in both modes: tabs switched by keyboard, the egress variables
// with placeholders shown by prefix only, the reach table (LLM origin, a header vault's domains,
// an environment variable's hosts, the limited environment's hosts and registries), the CA
// download matching the fingerprint on the panel, and no secret or placeholder anywhere.
import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import type Anthropic from "@anthropic-ai/sdk";
import { expect, test } from "@playwright/test";
import { baseUrl, ownerSdk, readToast, recordResponses, secret, SECRET_MARKER, signIn, uniqueName } from "./support";

const RESERVED = "sandbox0.managed_agents.";
/** A placeholder of either kind, long enough to be a real one rather than the `s0rt_…` display. */
const PLACEHOLDER_VALUE = /s0(?:rt|ev)_[A-Za-z0-9_-]{20,}/;

type CredentialParams = Parameters<Anthropic["beta"]["vaults"]["credentials"]["create"]>[1];

/** The console accepts auth shapes the SDK's types do not describe (no mcp_server_url, environment_variable). */
function loose(params: unknown): CredentialParams {
  return params as CredentialParams;
}

function egressPort(): string {
  const url = process.env.CONSOLE_TEST_EGRESS_URL;
  if (!url) throw new Error("CONSOLE_TEST_EGRESS_URL is not set: run the UI suite through `npm test -- --only ui`");
  return new URL(url).port;
}

test("runtime panel: both modes by keyboard, egress reach per credential, the CA download matches its fingerprint", async ({ page, browser }) => {
  // Six resources, a sign-in (scrypt) and three page loads: under 20 s on an idle machine, near a minute on a busy one.
  test.setTimeout(120_000);
  const sdk = ownerSdk();
  const llmToken = secret("egress-llm");
  const headerToken = secret("egress-header");
  const variableValue = secret("egress-variable");

  const llmVault = await sdk.beta.vaults.create({
    display_name: uniqueName("egress llm"),
    metadata: { [`${RESERVED}role`]: "llm", [`${RESERVED}engine`]: "claude" },
  });
  await sdk.beta.vaults.credentials.create(llmVault.id, loose({ display_name: "API key", auth: { type: "static_bearer", token: llmToken } }));
  const headerVault = await sdk.beta.vaults.create({
    display_name: uniqueName("egress headers"),
    metadata: {
      [`${RESERVED}role`]: "credential",
      [`${RESERVED}kind`]: "http_headers",
      [`${RESERVED}version`]: "1",
      [`${RESERVED}target_domains`]: "api.example.com,*.example.org",
      [`${RESERVED}headers_json`]: JSON.stringify({ Authorization: "Bearer {{token}}", "X-Team-Id": "team-7" }),
    },
  });
  await sdk.beta.vaults.credentials.create(headerVault.id, loose({ auth: { type: "static_bearer", token: headerToken } }));
  await sdk.beta.vaults.credentials.create(
    headerVault.id,
    loose({
      auth: {
        type: "environment_variable",
        secret_name: "GITHUB_TOKEN",
        secret_value: variableValue,
        networking: { type: "limited", allowed_hosts: ["api.github.com"] },
      },
    }),
  );
  const agent = await sdk.beta.agents.create({ name: uniqueName("egress agent"), model: "claude-sonnet-4-5" });
  const environment = await sdk.beta.environments.create({
    name: uniqueName("egress env"),
    config: { type: "cloud", networking: { type: "limited", allowed_hosts: ["pypi.internal.example"], allow_package_managers: true } },
  });
  const session = await sdk.beta.sessions.create({ agent: agent.id, environment_id: environment.id, vault_ids: [llmVault.id, headerVault.id] });
  const bare = await sdk.beta.sessions.create({ agent: agent.id, environment_id: environment.id });

  const recorder = recordResponses(page);
  // The console's CSP refuses inline style attributes; the panel must not need one.
  const refusedByCsp: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) refusedByCsp.push(message.text());
  });
  await signIn(page);
  await page.goto(`/sessions/${session.id}`);

  // Boundary first; arrow keys move to the egress tab and show its panel.
  const boundaryTab = page.getByRole("tab", { name: "Boundary" });
  const egressTab = page.getByRole("tab", { name: "Egress proxy" });
  await expect(boundaryTab).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("runtime-env")).toContainText(`${baseUrl()}/boundary/${session.id}`);
  await boundaryTab.focus();
  await page.keyboard.press("ArrowRight");
  await expect(egressTab).toBeFocused();
  await expect(egressTab).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("runtime-env")).toBeHidden();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("tabpanel", { name: "Egress proxy" })).toBeFocused();

  const env = page.getByTestId("runtime-egress-env");
  await expect(env).toContainText(`http://${session.id}:s0rt_…@${new URL(baseUrl()).hostname}:${egressPort()}`);
  await expect(env).toContainText("https://api.anthropic.com");
  await expect(env).toContainText("NODE_EXTRA_CA_CERTS");
  await expect(env).toContainText("/tmp/console-egress-ca.pem");
  await expect(env.locator("div").filter({ hasText: "GITHUB_TOKEN" })).toContainText("s0ev_…");
  const egressPanel = page.getByRole("tabpanel", { name: "Egress proxy" });
  await expect(egressPanel.getByText(`"/v1/sessions/${session.id}/runtime"`)).toBeVisible();

  // The reach: the environment's hosts and registries, then one row per credential host.
  const networking = page.getByTestId("egress-networking");
  await expect(networking).toContainText("limited");
  await expect(networking).toContainText("pypi.internal.example");
  await expect(networking).toContainText("registry.npmjs.org");
  const routes = page.getByTestId("egress-route");
  const llmRow = routes.filter({ hasText: "api.anthropic.com" });
  await expect(llmRow).toContainText("LLM token");
  await expect(llmRow.getByRole("link", { name: llmVault.display_name })).toHaveAttribute("href", `/vaults/${llmVault.id}`);
  for (const host of ["api.example.com", "*.example.org"]) {
    const row = routes.filter({ hasText: host });
    await expect(row).toContainText("Header template");
    await expect(row).toContainText("Authorization, X-Team-Id");
    await expect(row).toContainText("Works");
  }
  // Header names only: a template's value never reaches the page.
  await expect(page.getByTestId("egress-reach")).not.toContainText("team-7");
  const variableRow = routes.filter({ hasText: "api.github.com" });
  await expect(variableRow).toContainText("Environment variable");
  await expect(variableRow).toContainText("GITHUB_TOKEN");
  await expect(variableRow).toContainText("Only where the environment allows the host");
  // The limited environment does not list api.github.com, so the variable's value could never get there.
  await expect(variableRow).toContainText("Refused");
  await expect(variableRow).toContainText("api.github.com is not in its allowed_hosts");
  await expect(routes).toHaveCount(4);

  // The CA download is the certificate whose fingerprint the panel shows.
  const fingerprint = (await page.getByTestId("egress-ca-fingerprint").textContent())?.trim() ?? "";
  expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CA certificate" }).click()]);
  const pem = await readFile((await download.path()) ?? "", "utf8");
  expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
  expect(new X509Certificate(pem).fingerprint256).toBe(fingerprint);
  // Signed-in users only: without the cookie it sends to the sign-in page.
  const anonymous = await browser.newContext({ baseURL: baseUrl() });
  const refused = await anonymous.request.get("/egress-ca.pem", { maxRedirects: 0 });
  expect(refused.status()).toBeGreaterThanOrEqual(300);
  expect(refused.status()).toBeLessThan(400);
  expect(refused.headers().location).toContain("/sign-in");
  expect(await refused.text()).not.toContain("BEGIN CERTIFICATE");
  await anonymous.close();

  const html = await page.content();
  for (const value of [llmToken, headerToken, variableValue, SECRET_MARKER]) expect(html).not.toContain(value);
  expect(html).not.toMatch(PLACEHOLDER_VALUE);

  // A session without vaults: the reach says what to attach.
  await page.goto(`/sessions/${bare.id}`);
  await page.getByRole("tab", { name: "Egress proxy" }).click();
  await expect(page.getByTestId("egress-reach-empty")).toContainText("Attach the LLM vault");
  await expect(page.getByTestId("egress-route")).toHaveCount(0);

  for (const { url, text } of await recorder.bodies()) {
    expect(text.includes(SECRET_MARKER), `secret marker in ${url}`).toBe(false);
    expect(PLACEHOLDER_VALUE.test(text), `placeholder in ${url}`).toBe(false);
  }
  expect(refusedByCsp).toEqual([]);
});

test("environment form: limited explains what the egress proxy enforces and keeps allow_package_managers", async ({ page }) => {
  const environment = await ownerSdk().beta.environments.create({
    name: uniqueName("registries env"),
    config: { type: "cloud", networking: { type: "limited", allowed_hosts: ["api.github.com"], allow_package_managers: true } },
  });
  await signIn(page);
  await page.goto(`/environments/${environment.id}`);
  const limited = page.getByTestId("limited-networking");
  await expect(limited).toContainText("refuses (403, before any DNS lookup) every host not listed here");
  await expect(limited).toContainText("registry.npmjs.org");
  const registries = page.getByRole("checkbox", { name: "Allow package managers" });
  await expect(registries).toBeChecked();
  await registries.uncheck();
  await page.getByRole("button", { name: "Save environment" }).click();
  await readToast(page, "Environment saved.");
  const saved = await ownerSdk().beta.environments.retrieve(environment.id);
  expect(saved.config).toMatchObject({ type: "cloud" });
  expect(saved.config.type === "cloud" ? saved.config.networking : null).toMatchObject({
    type: "limited",
    allowed_hosts: ["api.github.com"],
    allow_package_managers: false,
  });
});
