// Test connection (`POST /v1/vaults/{id}/test`, a console extension beside the boundary of SPEC §7):
// one `GET /v1/models?limit=1` to the LLM vault's base URL with its stored token, classified as ok,
// token_refused, not_anthropic_compatible or unreachable. Each outcome is produced by a stub
// upstream that behaves that way; some stubs quote the key they received, as real gateways do, and
// the console's answer must still not contain it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  RESERVED,
  SECRET_MARKER,
  client,
  createApiKey,
  createEnvironment,
  createVault,
  credentialVaultMetadata,
  expectApiError,
  expectTimestamp,
  guardResponses,
  llmCredentialAuth,
  llmVaultMetadata,
  raw,
  secret,
  type Vault,
} from "./support";
import { anthropicError, anthropicModelList, answerJson, closedPortOrigin, startStubUpstream, type StubHandler, type StubUpstream } from "./stub-upstream";

guardResponses();

const anthropic = client();

interface ConnectionTest {
  type: "vault_connection_test";
  vault_id: string;
  outcome: "ok" | "token_refused" | "not_anthropic_compatible" | "unreachable";
  status: number | null;
  message: string;
  checked_at: string;
}

/** Stubs started by a test, closed after the file. */
const stubs: StubUpstream[] = [];

afterAll(async () => {
  await Promise.all(stubs.map((stub) => stub.close()));
});

async function stubAnswering(handler: StubHandler): Promise<StubUpstream> {
  const stub = await startStubUpstream(handler);
  stubs.push(stub);
  return stub;
}

/** The key the stub was sent, in the stub's answer: what a careless gateway does. */
function receivedKey(headers: Record<string, string | string[] | undefined>): string {
  return String(headers["x-api-key"] ?? "");
}

async function llmVaultOn(baseUrl: string, label: string): Promise<{ vault: Vault; token: string }> {
  const vault = await createVault(anthropic, `test connection ${label}`, llmVaultMetadata({ [`${RESERVED}llm_base_url`]: baseUrl }));
  const token = secret(`test-connection-${label}`);
  await anthropic.beta.vaults.credentials.create(vault.id, { auth: llmCredentialAuth(token) });
  return { vault, token };
}

async function testConnection(vaultId: string, apiKey?: string): Promise<{ status: number; text: string; result: ConnectionTest }> {
  const response = await raw("POST", `/v1/vaults/${vaultId}/test`, apiKey ? { headers: { "x-api-key": apiKey } } : {});
  return { status: response.status, text: response.text, result: response.json as ConnectionTest };
}

/** Well-formed, about this vault, and without the token or anything else secret. */
function expectReport(response: { status: number; text: string; result: ConnectionTest }, vaultId: string, token: string): ConnectionTest {
  expect(response.status, response.text.replaceAll(token, "<token>")).toBe(200);
  const { result } = response;
  expect(Object.keys(result).sort()).toEqual(["checked_at", "message", "outcome", "status", "type", "vault_id"]);
  expect(result.type).toBe("vault_connection_test");
  expect(result.vault_id).toBe(vaultId);
  expect(result.message).toEqual(expect.stringMatching(/\S/));
  expectTimestamp(result.checked_at, "checked_at");
  expect(response.text.includes(token), "the response contains the token").toBe(false);
  expect(response.text.includes(SECRET_MARKER), "the response contains the secret marker").toBe(false);
  return result;
}

describe("outcomes", () => {
  it("ok: an Anthropic-style models list, asked for with the token as x-api-key and Bearer", async () => {
    const stub = await stubAnswering((request, response) => answerJson(response, 200, { ...anthropicModelList(), echoed_key: receivedKey(request.headers) }));
    const { vault, token } = await llmVaultOn(stub.origin, "ok");
    const result = expectReport(await testConnection(vault.id), vault.id, token);
    expect(result.outcome).toBe("ok");
    expect(result.status).toBe(200);
    expect(stub.requests).toHaveLength(1);
    const [request] = stub.requests;
    expect(`${request?.method} ${request?.path}${request?.query}`).toBe("GET /v1/models?limit=1");
    expect(request?.headers["x-api-key"] === token, "x-api-key is the token").toBe(true);
    expect(request?.headers.authorization === `Bearer ${token}`, "Authorization is Bearer <token>").toBe(true);
    expect(request?.headers["anthropic-version"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("asks under the base URL's own path", async () => {
    const stub = await stubAnswering((_request, response) => answerJson(response, 200, anthropicModelList()));
    const { vault, token } = await llmVaultOn(`${stub.origin}/gateway/anthropic/`, "prefix");
    expect(expectReport(await testConnection(vault.id), vault.id, token).outcome).toBe("ok");
    expect(stub.requests.map((request) => `${request.path}${request.query}`)).toEqual(["/gateway/anthropic/v1/models?limit=1"]);
  });

  it.each([401, 403])("token_refused: an Anthropic-style %i error, even one quoting the key", async (status) => {
    const stub = await stubAnswering((request, response) =>
      answerJson(
        response,
        status,
        anthropicError(status === 401 ? "authentication_error" : "permission_error", `invalid x-api-key: ${receivedKey(request.headers)}`),
      ),
    );
    const { vault, token } = await llmVaultOn(stub.origin, `refused-${status}`);
    const result = expectReport(await testConnection(vault.id), vault.id, token);
    expect(result.outcome).toBe("token_refused");
    expect(result.status).toBe(status);
  });

  it.each([
    ["an OpenAI models list", 200, { object: "list", data: [{ id: "gpt-4o", object: "model", created: 1715367049, owned_by: "system" }] }],
    [
      "an OpenAI 401 error quoting the key",
      401,
      { error: { message: "Incorrect API key provided: <key>", type: "invalid_request_error", param: null, code: "invalid_api_key" } },
    ],
    [
      "an OpenAI 404 error",
      404,
      { error: { message: "Unknown request URL: GET /v1/models", type: "invalid_request_error", param: null, code: "unknown_url" } },
    ],
  ])("not_anthropic_compatible: %s", async (label, status, body) => {
    const stub = await stubAnswering((request, response) =>
      answerJson(response, status, JSON.parse(JSON.stringify(body).replace("<key>", receivedKey(request.headers)))),
    );
    const { vault, token } = await llmVaultOn(stub.origin, `openai-${status}`);
    const result = expectReport(await testConnection(vault.id), vault.id, token);
    expect(result.outcome, label).toBe("not_anthropic_compatible");
    expect(result.status).toBe(status);
  });

  it("not_anthropic_compatible: a 404 page that is not JSON", async () => {
    const stub = await stubAnswering((_request, response) => {
      response.writeHead(404, { "content-type": "text/html" });
      response.end("<html><body>Not Found</body></html>");
    });
    const { vault, token } = await llmVaultOn(stub.origin, "html-404");
    const result = expectReport(await testConnection(vault.id), vault.id, token);
    expect(result.outcome).toBe("not_anthropic_compatible");
    expect(result.status).toBe(404);
  });

  it("not_anthropic_compatible: a 200 web page is no models list", async () => {
    const stub = await stubAnswering((_request, response) => {
      response.writeHead(200, { "content-type": "text/html" });
      response.end("<!doctype html><html><body>Welcome</body></html>");
    });
    const { vault, token } = await llmVaultOn(stub.origin, "html-200");
    expect(expectReport(await testConnection(vault.id), vault.id, token).outcome).toBe("not_anthropic_compatible");
  });

  it("unreachable: nothing listens on the port", async () => {
    const { vault, token } = await llmVaultOn(await closedPortOrigin(), "unreachable");
    const result = expectReport(await testConnection(vault.id), vault.id, token);
    expect(result.outcome).toBe("unreachable");
    expect(result.status).toBeNull();
  });

  it("does not follow a redirect with the token", async () => {
    const decoy = await stubAnswering((_request, response) => answerJson(response, 200, anthropicModelList()));
    const stub = await stubAnswering((_request, response) => {
      response.writeHead(307, { location: `${decoy.origin}/v1/models?limit=1` });
      response.end();
    });
    const { vault, token } = await llmVaultOn(stub.origin, "redirect");
    const result = expectReport(await testConnection(vault.id), vault.id, token);
    expect(result.outcome).not.toBe("ok");
    expect(result.status).toBe(307);
    expect(decoy.requests, "requests that followed the redirect").toEqual([]);
  });
});

describe("who may test which vault", () => {
  let stub: StubUpstream;

  beforeAll(async () => {
    stub = await stubAnswering((_request, response) => answerJson(response, 200, anthropicModelList()));
  });

  it("an admin key may; viewer and runtime keys get 403 and the upstream hears nothing", async () => {
    const { vault, token } = await llmVaultOn(stub.origin, "roles");
    const environment = await createEnvironment(anthropic, "test-connection runtime key");
    const [admin, viewer, runtime] = await Promise.all([
      createApiKey("admin"),
      createApiKey("viewer"),
      createApiKey("runtime", { scope: { environment_id: environment.id } }),
    ]);
    stub.clear();
    await expectApiError(await raw("POST", `/v1/vaults/${vault.id}/test`, { headers: { "x-api-key": viewer.key } }), 403, "permission_error");
    await expectApiError(await raw("POST", `/v1/vaults/${vault.id}/test`, { headers: { "x-api-key": runtime.key } }), 403, "permission_error");
    expect(stub.requests).toEqual([]);
    expect(expectReport(await testConnection(vault.id, admin.key), vault.id, token).outcome).toBe("ok");
    expect(stub.requests).toHaveLength(1);
  });

  it("refuses vaults it cannot test: not LLM, archived, without a credential, unknown", async () => {
    const { vault: archived } = await llmVaultOn(stub.origin, "archived");
    await anthropic.beta.vaults.archive(archived.id);
    const credentialVault = await createVault(anthropic, "test connection not llm", credentialVaultMetadata());
    const plainVault = await createVault(anthropic, "test connection plain");
    const empty = await createVault(anthropic, "test connection empty", llmVaultMetadata({ [`${RESERVED}llm_base_url`]: stub.origin }));
    const { vault: archivedCredential } = await llmVaultOn(stub.origin, "archived credential");
    const [credential] = (await anthropic.beta.vaults.credentials.list(archivedCredential.id)).data;
    await anthropic.beta.vaults.credentials.archive(credential?.id ?? "", { vault_id: archivedCredential.id });
    stub.clear();
    for (const vault of [archived, credentialVault, plainVault, empty, archivedCredential]) {
      await expectApiError(await raw("POST", `/v1/vaults/${vault.id}/test`), 409, "conflict_error", vault.id);
    }
    await expectApiError(await raw("POST", "/v1/vaults/vlt_doesnotexist000000000/test"), 404, "not_found_error");
    expect(stub.requests).toEqual([]);
  });
});
