// SPEC §2 over plain HTTP: auth, the beta header, the error envelope and request ids, validation of
// bodies and query strings, body size, unknown routes and methods — and never a 5xx.
import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import {
  BETA_HEADER,
  ERROR_TYPE_BY_STATUS,
  apiKey,
  client,
  expectApiError,
  guardResponses,
  raw,
  redact,
  secret,
  uniqueMcpUrl,
  uniqueName,
  type RawResponse,
} from "./support";

guardResponses();

const anthropic = client();

async function newVaultId(label: string): Promise<string> {
  const response = await raw("POST", "/v1/vaults", { body: { display_name: uniqueName(label) } });
  expectSuccess(response);
  return (response.json as { id: string }).id;
}

function expectSuccess(response: RawResponse, label = ""): void {
  const where = redact(`${label} ${response.text.slice(0, 300)}`);
  expect(response.status, where).toBeGreaterThanOrEqual(200);
  expect(response.status, where).toBeLessThan(300);
}

function staticBearerBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { auth: { type: "static_bearer", token: secret("http"), mcp_server_url: uniqueMcpUrl() }, ...extra };
}

/** Any 4xx with a well-formed envelope whose type matches the status (where the spec names one). */
function expectClientErrorEnvelope(response: RawResponse, label: string): void {
  const where = redact(`${label}: ${response.text.slice(0, 300)}`);
  expect(response.status, where).toBeGreaterThanOrEqual(400);
  expect(response.status, where).toBeLessThan(500);
  const body = response.json as { type?: unknown; error?: { type?: unknown; message?: unknown }; request_id?: unknown };
  expect(body?.type, label).toBe("error");
  expect(typeof body?.error?.type, label).toBe("string");
  expect(typeof body?.error?.message, label).toBe("string");
  const expectedType = ERROR_TYPE_BY_STATUS[response.status];
  if (expectedType) expect(body.error?.type, label).toBe(expectedType);
  expect(body.request_id, label).toBe(response.headers.get("request-id"));
  expect(response.headers.get("content-type") ?? "", label).toMatch(/application\/json/);
}

describe("authentication", () => {
  it("accepts the key in x-api-key", async () => {
    const response = await raw("GET", "/v1/vaults?limit=1");
    expect(response.status).toBe(200);
    expect(Array.isArray((response.json as { data: unknown }).data)).toBe(true);
  });

  it("accepts the key as Authorization: Bearer", async () => {
    const response = await raw("GET", "/v1/vaults?limit=1", {
      omitApiKey: true,
      headers: { authorization: `Bearer ${apiKey()}` },
    });
    expect(response.status).toBe(200);
    const created = await raw("POST", "/v1/vaults", {
      omitApiKey: true,
      headers: { authorization: `Bearer ${apiKey()}` },
      body: { display_name: uniqueName("bearer auth") },
    });
    expectSuccess(created);
    expect((created.json as { type: string }).type).toBe("vault");
  });

  it("answers 401 authentication_error without a key or with an unknown one", async () => {
    const unknownKey = `s0_${randomBytes(30).toString("base64url").slice(0, 40)}`;
    const attempts: Array<[string, Record<string, string>]> = [
      ["no key", {}],
      ["unknown x-api-key", { "x-api-key": unknownKey }],
      ["unknown bearer", { authorization: `Bearer ${unknownKey}` }],
      ["malformed key", { "x-api-key": "hello" }],
      ["empty key", { "x-api-key": "" }],
      ["bare Bearer", { authorization: "Bearer" }],
      ["basic auth", { authorization: `Basic ${Buffer.from(`user:${apiKey()}`).toString("base64")}` }],
      ["truncated real key", { "x-api-key": apiKey().slice(0, -1) }],
    ];
    for (const [label, headers] of attempts) {
      const response = await raw("GET", "/v1/vaults", { omitApiKey: true, headers });
      expect(response.status, `${label}: ${response.text.slice(0, 200)}`).toBe(401);
      await expectApiError(response, 401, "authentication_error");
    }
    const write = await raw("POST", "/v1/vaults", { omitApiKey: true, body: { display_name: uniqueName("no auth") } });
    await expectApiError(write, 401, "authentication_error");
  });

  it("does not accept the key in the query string", async () => {
    const response = await raw("GET", `/v1/vaults?api_key=${encodeURIComponent(apiKey())}`, { omitApiKey: true });
    await expectApiError(response, 401, "authentication_error");
  });
});

describe("beta header", () => {
  it("answers 400 naming the anthropic-beta header and its value when it is missing", async () => {
    for (const [method, path, body] of [
      ["GET", "/v1/vaults", undefined],
      ["POST", "/v1/vaults", { display_name: uniqueName("no beta") }],
    ] as const) {
      const response = await raw(method, path, { omitBeta: true, body });
      await expectApiError(response, 400, "invalid_request_error", ["anthropic-beta", BETA_HEADER]);
    }
  });

  it("answers 400 when the header carries other betas only", async () => {
    const response = await raw("GET", "/v1/vaults", { headers: { "anthropic-beta": "files-api-2025-04-14" } });
    await expectApiError(response, 400, "invalid_request_error", "anthropic-beta");
  });

  it("accepts a comma-separated list that includes the managed agents beta (as the SDK sends it)", async () => {
    const response = await raw("GET", "/v1/vaults?limit=1", {
      headers: { "anthropic-beta": `files-api-2025-04-14, ${BETA_HEADER}` },
    });
    expect(response.status).toBe(200);
    const listed = await anthropic.beta.vaults.list({ limit: 1, betas: ["files-api-2025-04-14"] });
    expect(Array.isArray(listed.data)).toBe(true);
  });
});

describe("status codes of successful calls", () => {
  it("answers 200 with a JSON body for creates, as the official API does", async () => {
    const vault = await raw("POST", "/v1/vaults", { body: { display_name: uniqueName("status") } });
    expect(vault.status).toBe(200);
    expect(vault.headers.get("content-type") ?? "").toMatch(/application\/json/);
    const vaultId = (vault.json as { id: string }).id;
    const credential = await raw("POST", `/v1/vaults/${vaultId}/credentials`, { body: staticBearerBody() });
    expect(credential.status).toBe(200);
    const deleted = await raw("DELETE", `/v1/vaults/${vaultId}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({ id: vaultId, type: "vault_deleted" });
  });
});

describe("request ids", () => {
  it("puts a req_ request-id header on every response and the same id in error envelopes", async () => {
    const vaultId = await newVaultId("request ids");
    const responses: RawResponse[] = [
      await raw("GET", "/v1/vaults?limit=1"),
      await raw("GET", `/v1/vaults/${vaultId}`),
      await raw("POST", "/v1/vaults", { body: { display_name: uniqueName("rid") } }),
      await raw("GET", "/v1/vaults/vlt_doesnotexist"),
      await raw("GET", "/v1/vaults", { omitApiKey: true }),
      await raw("GET", "/v1/vaults", { omitBeta: true }),
      await raw("POST", "/v1/vaults", { rawBody: "{" }),
      await raw("GET", "/v1/no-such-resource"),
    ];
    const ids = responses.map((response) => response.headers.get("request-id"));
    for (const [index, response] of responses.entries()) {
      expect(ids[index], `response ${index} (${response.status})`).toMatch(/^req_[A-Za-z0-9_-]{8,}$/);
      if (response.status >= 400) {
        expect((response.json as { request_id?: unknown }).request_id, `response ${index}`).toBe(ids[index]);
      }
    }
    expect(new Set(ids).size, "request ids are unique").toBe(ids.length);
  });

  it("exposes the request id to the SDK on errors", async () => {
    try {
      await anthropic.beta.vaults.retrieve("vlt_doesnotexist");
      expect.fail("retrieve of an unknown vault succeeded");
    } catch (error) {
      const { requestID } = error as { requestID?: string | null };
      expect(requestID).toMatch(/^req_/);
    }
  });
});

describe("request bodies", () => {
  it("answers 400 for malformed JSON and for bodies that are not objects", async () => {
    for (const body of ['{"display_name": ', "{display_name: 'x'}", "", "[]", "null", '"vault"', "42"]) {
      const response = await raw("POST", "/v1/vaults", { rawBody: body });
      await expectApiError(response, 400, "invalid_request_error");
    }
    const vaultId = await newVaultId("malformed credential");
    const response = await raw("POST", `/v1/vaults/${vaultId}/credentials`, { rawBody: '{"auth": {"type": ' });
    await expectApiError(response, 400, "invalid_request_error", /json/i);
  });

  it("answers 400 naming the field for wrong types", async () => {
    const cases: Array<[unknown, string]> = [
      [{ display_name: 42 }, "display_name"],
      [{ display_name: null }, "display_name"],
      [{ display_name: ["a"] }, "display_name"],
      [{ display_name: "ok", metadata: "team=a" }, "metadata"],
      [{ display_name: "ok", metadata: ["a"] }, "metadata"],
      [{ display_name: "ok", metadata: { team: 1 } }, "metadata.team"],
      [{ display_name: "ok", metadata: { team: { nested: "x" } } }, "metadata.team"],
      [{ display_name: "ok", metadata: { team: null } }, "metadata.team"],
    ];
    for (const [body, fieldName] of cases) {
      await expectApiError(await raw("POST", "/v1/vaults", { body }), 400, "invalid_request_error", fieldName);
    }

    const vaultId = await newVaultId("wrong types");
    const credentialCases: Array<[unknown, string]> = [
      [{ auth: "static_bearer" }, "auth"],
      [{}, "auth"],
      [{ auth: { type: "password", token: secret("type") } }, "auth.type"],
      [{ auth: { type: "static_bearer", token: 12345, mcp_server_url: uniqueMcpUrl() } }, "auth.token"],
      [{ auth: { type: "static_bearer", token: secret("url"), mcp_server_url: 7 } }, "auth.mcp_server_url"],
      [staticBearerBody({ display_name: 5 }), "display_name"],
    ];
    for (const [body, fieldName] of credentialCases) {
      await expectApiError(await raw("POST", `/v1/vaults/${vaultId}/credentials`, { body }), 400, "invalid_request_error", fieldName);
    }
    await expectApiError(await raw("POST", `/v1/vaults/${vaultId}`, { body: { display_name: false } }), 400, "invalid_request_error", "display_name");
  });

  it("answers 400 naming unknown fields", async () => {
    await expectApiError(
      await raw("POST", "/v1/vaults", { body: { display_name: uniqueName("unknown"), bogus_field: 1 } }),
      400,
      "invalid_request_error",
      "bogus_field",
    );
    const vaultId = await newVaultId("unknown fields");
    await expectApiError(await raw("POST", `/v1/vaults/${vaultId}`, { body: { surprise: true } }), 400, "invalid_request_error", "surprise");
    await expectApiError(
      await raw("POST", `/v1/vaults/${vaultId}/credentials`, { body: staticBearerBody({ colour: "blue" }) }),
      400,
      "invalid_request_error",
      "colour",
    );
    await expectApiError(
      await raw("POST", `/v1/vaults/${vaultId}/credentials`, {
        body: { auth: { type: "static_bearer", token: secret("extra"), mcp_server_url: uniqueMcpUrl(), extra_auth_field: 1 } },
      }),
      400,
      "invalid_request_error",
      "extra_auth_field",
    );
    const listed = await raw("GET", `/v1/vaults/${vaultId}/credentials?include_archived=true`);
    expect((listed.json as { data: unknown[] }).data).toEqual([]);
  });

  it("enforces the metadata limits: 16 pairs, keys 1–64 characters, values up to 512", async () => {
    const sixteen: Record<string, string> = {};
    for (let index = 0; index < 16; index += 1) sixteen[`key_${index}`] = "v";
    const accepted = await raw("POST", "/v1/vaults", {
      body: {
        display_name: uniqueName("metadata max"),
        metadata: { ...Object.fromEntries(Object.entries(sixteen).slice(0, 14)), ["k".repeat(64)]: "v".repeat(512), short: "" },
      },
    });
    expectSuccess(accepted);
    const full = await raw("POST", "/v1/vaults", { body: { display_name: uniqueName("sixteen"), metadata: sixteen } });
    expectSuccess(full);

    const rejected: Array<Record<string, string>> = [{ ...sixteen, key_16: "v" }, { ["k".repeat(65)]: "v" }, { "": "v" }, { team: "v".repeat(513) }];
    for (const metadata of rejected) {
      await expectApiError(
        await raw("POST", "/v1/vaults", { body: { display_name: uniqueName("metadata limit"), metadata } }),
        400,
        "invalid_request_error",
        "metadata",
      );
    }
    const vaultId = await newVaultId("credential metadata limit");
    await expectApiError(
      await raw("POST", `/v1/vaults/${vaultId}/credentials`, { body: staticBearerBody({ metadata: { team: "v".repeat(513) } }) }),
      400,
      "invalid_request_error",
      "metadata",
    );
  });

  it("enforces display_name: required, 1–255 characters after trimming", async () => {
    for (const body of [{}, { display_name: "" }, { display_name: "    " }, { display_name: "n".repeat(256) }]) {
      await expectApiError(await raw("POST", "/v1/vaults", { body }), 400, "invalid_request_error", "display_name");
    }
  });
});

describe("query parameters", () => {
  /** GET /v1/vaults with a bad value for one query parameter: 400 naming the parameter. */
  async function expectQueryRefused(name: string, value: string): Promise<void> {
    await expectApiError(await raw("GET", `/v1/vaults?${name}=${encodeURIComponent(value)}`), 400, "invalid_request_error", name);
  }

  it("validates limit: 1–100 integers only", async () => {
    for (const limit of ["0", "101", "abc", "-1", "1.5", "", "1e2", "20abc"]) await expectQueryRefused("limit", limit);
    for (const limit of ["1", "100"]) {
      const response = await raw("GET", `/v1/vaults?limit=${limit}`);
      expect(response.status, `limit=${limit}`).toBe(200);
      expect((response.json as { data: unknown[] }).data.length).toBeLessThanOrEqual(Number(limit));
    }
  });

  it("validates include_archived: true or false", async () => {
    for (const value of ["maybe", "2", "yes please"]) await expectQueryRefused("include_archived", value);
    for (const value of ["true", "false"]) {
      expect((await raw("GET", `/v1/vaults?limit=1&include_archived=${value}`)).status).toBe(200);
    }
  });

  it("rejects a page cursor it did not issue", async () => {
    const forged = ["not-a-cursor", "AAAAAAAAAAAAAAAA", "%FF%FE", "' OR 1=1 --"];
    for (const page of forged) {
      await expectApiError(await raw("GET", `/v1/vaults?page=${encodeURIComponent(page)}`), 400, "invalid_request_error", "page");
    }
  });

  it("validates the same parameters on the credentials list", async () => {
    const vaultId = await newVaultId("credential query");
    for (const [query, fieldName] of [
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["limit=abc", "limit"],
      ["include_archived=maybe", "include_archived"],
      ["page=not-a-cursor", "page"],
    ] as const) {
      await expectApiError(await raw("GET", `/v1/vaults/${vaultId}/credentials?${query}`), 400, "invalid_request_error", fieldName);
    }
  });
});

describe("unknown resources, routes and methods", () => {
  it("answers 404 not_found_error for unknown vault and credential ids", async () => {
    const vaultId = await newVaultId("unknown ids");
    const attempts: Array<[string, string, unknown]> = [
      ["GET", "/v1/vaults/vlt_doesnotexist", undefined],
      ["POST", "/v1/vaults/vlt_doesnotexist", { display_name: "x" }],
      ["POST", "/v1/vaults/vlt_doesnotexist/archive", undefined],
      ["DELETE", "/v1/vaults/vlt_doesnotexist", undefined],
      ["GET", "/v1/vaults/vlt_doesnotexist/credentials", undefined],
      ["POST", "/v1/vaults/vlt_doesnotexist/credentials", staticBearerBody()],
      ["GET", `/v1/vaults/${vaultId}/credentials/vcrd_doesnotexist`, undefined],
      ["POST", `/v1/vaults/${vaultId}/credentials/vcrd_doesnotexist`, { display_name: "x" }],
      ["POST", `/v1/vaults/${vaultId}/credentials/vcrd_doesnotexist/archive`, undefined],
      ["DELETE", `/v1/vaults/${vaultId}/credentials/vcrd_doesnotexist`, undefined],
      ["GET", `/v1/vaults/${vaultId}/credentials/${vaultId}`, undefined],
    ];
    for (const [method, path, body] of attempts) {
      const response = await raw(method, path, { body });
      await expectApiError(response, 404, "not_found_error");
    }
  });

  it("answers 404 in the envelope for unknown /v1 paths", async () => {
    for (const path of ["/v1/does-not-exist", "/v1/vaults/vlt_x/credentials/vcrd_y/archive/extra", "/v1"]) {
      await expectApiError(await raw("GET", path), 404, "not_found_error");
    }
  });

  it("answers a 4xx envelope for methods a route does not support", async () => {
    const vaultId = await newVaultId("methods");
    const attempts: Array<[string, string]> = [
      ["DELETE", "/v1/vaults"],
      ["PUT", "/v1/vaults"],
      ["PUT", `/v1/vaults/${vaultId}`],
      ["PATCH", `/v1/vaults/${vaultId}`],
      ["GET", `/v1/vaults/${vaultId}/archive`],
      ["DELETE", `/v1/vaults/${vaultId}/archive`],
      ["PATCH", `/v1/vaults/${vaultId}/credentials`],
    ];
    for (const [method, path] of attempts) {
      const response = await raw(method, path, method === "GET" || method === "DELETE" ? {} : { body: { display_name: "x" } });
      expectClientErrorEnvelope(response, `${method} ${path}`);
    }
    // PATCH is not an update route: the vault keeps its name.
    const vault = await raw("GET", `/v1/vaults/${vaultId}`);
    expect((vault.json as { display_name: string }).display_name).not.toBe("x");
  });
});

describe("body size", () => {
  it("answers 413 request_too_large for a 5 MB body", async () => {
    const body = JSON.stringify({ display_name: uniqueName("huge"), metadata: { pad: "x".repeat(5 * 1024 * 1024) } });
    const response = await raw("POST", "/v1/vaults", { rawBody: body });
    await expectApiError(response, 413, "request_too_large");
  });

  it("answers 413 for a valid JSON body just over 1 MiB", async () => {
    // Whitespace padding keeps the JSON valid and the request otherwise acceptable.
    const head = `{"display_name":"${uniqueName("just over")}"`;
    const body = `${head}${" ".repeat(1024 * 1024 - head.length + 16)}}`;
    expect(Buffer.byteLength(body)).toBeGreaterThan(1024 * 1024);
    const response = await raw("POST", "/v1/vaults", { rawBody: body });
    await expectApiError(response, 413, "request_too_large");
  });

  it("answers 413 on the credentials route too", async () => {
    const vaultId = await newVaultId("huge credential");
    const head = JSON.stringify(staticBearerBody()).slice(0, -1);
    const body = `${head}${" ".repeat(2 * 1024 * 1024)}}`;
    const response = await raw("POST", `/v1/vaults/${vaultId}/credentials`, { rawBody: body });
    await expectApiError(response, 413, "request_too_large");
  });
});

describe("never a 5xx", () => {
  /** What is wrong with a response to odd input, or null: it must be a 2xx or a 4xx envelope. */
  function oddInputProblem(label: string, response: RawResponse): string | null {
    const where = redact(`${label} → ${response.status} ${response.text.slice(0, 160)}`);
    if (response.status >= 200 && response.status < 300) return null;
    if (response.status < 400 || response.status >= 500) return where;
    const body = response.json as { type?: unknown; error?: { type?: unknown; message?: unknown }; request_id?: unknown };
    const wellFormed =
      body?.type === "error" &&
      typeof body.error?.type === "string" &&
      typeof body.error?.message === "string" &&
      body.request_id === response.headers.get("request-id");
    return wellFormed ? null : `${where} (not an error envelope)`;
  }

  it("answers odd vault bodies with a 2xx or a 4xx envelope", async () => {
    const vaultId = await newVaultId("odd input");
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    const vaultBodies = [
      `{"display_name": ${deep}}`,
      `{"display_name": "nul \\u0000 byte"}`,
      `{"display_name": "lone \\ud800 surrogate"}`,
      `{"display_name": "ok", "metadata": {"nul\\u0000key": "v"}}`,
      `{"display_name": "ok", "metadata": {"team": "nul \\u0000 value"}}`,
      `{"display_name": "ok", "metadata": {"__proto__": "x"}}`,
      `{"display_name": "ok", "metadata": {"constructor": "x", "toString": "y"}}`,
      `{"display_name": "ok", "__proto__": {"admin": true}}`,
      `{"display_name": 1e400}`,
      `{"display_name": "a", "display_name": "b"}`,
      `\uFEFF{"display_name": "bom"}`,
      `{"display_name": "${"\u{1F600}".repeat(300)}"}`,
    ];
    const problems: string[] = [];
    for (const body of vaultBodies) {
      for (const path of ["/v1/vaults", `/v1/vaults/${vaultId}`]) {
        const problem = oddInputProblem(`POST ${path} ${body.slice(0, 60)}`, await raw("POST", path, { rawBody: body }));
        if (problem) problems.push(problem);
      }
    }
    expect(problems).toEqual([]);
  });

  it("answers odd credential bodies with a 2xx or a 4xx envelope", async () => {
    const vaultId = await newVaultId("odd credential input");
    const credentialBodies = [
      { auth: { type: "static_bearer", token: `${secret("nul")}\u0000tail`, mcp_server_url: uniqueMcpUrl() } },
      { auth: { type: "static_bearer", token: secret("nul-url"), mcp_server_url: `${uniqueMcpUrl()}\u0000` } },
      { auth: { type: "static_bearer", token: secret("unicode-url"), mcp_server_url: "https://exämple.com/ünïcode" } },
      { auth: { type: "static_bearer", token: secret("surrogate"), mcp_server_url: uniqueMcpUrl() }, display_name: "\ud800" },
      {
        auth: {
          type: "environment_variable",
          secret_name: "X",
          secret_value: secret("hosts"),
          networking: { type: "limited", allowed_hosts: "api.example.com" },
        },
      },
      { auth: { type: "environment_variable", secret_name: "Y", secret_value: secret("net"), networking: { type: "sometimes" } } },
      { auth: { type: "mcp_oauth", access_token: secret("oauth-odd"), mcp_server_url: uniqueMcpUrl(), expires_at: 17 } },
      { auth: { type: "mcp_oauth", access_token: secret("oauth-refresh-odd"), mcp_server_url: uniqueMcpUrl(), refresh: "yes" } },
      { auth: null },
      { auth: [] },
    ];
    const problems: string[] = [];
    for (const body of credentialBodies) {
      const response = await raw("POST", `/v1/vaults/${vaultId}/credentials`, { body });
      const problem = oddInputProblem(`POST credentials ${JSON.stringify(body).slice(0, 80)}`, response);
      if (problem) problems.push(problem);
    }
    expect(problems).toEqual([]);
  });

  it("answers odd query strings and ids with a 2xx or a 4xx envelope", async () => {
    const problems: string[] = [];
    for (const query of ["limit=1e2", "limit=99999999999999999999", "page=%00", "page=%E0%A4%A", "include_archived=TRUE", "limit=1&limit=2"]) {
      const problem = oddInputProblem(`GET /v1/vaults?${query}`, await raw("GET", `/v1/vaults?${query}`));
      if (problem) problems.push(problem);
    }
    for (const id of ["vlt_%00", "vlt_%F0%9F%98%80", "vlt_%E0%A4%A", `vlt_${"x".repeat(3000)}`, "..%2F..%2Fetc"]) {
      const response = await raw("GET", `/v1/vaults/${id}`);
      const problem = oddInputProblem(`GET /v1/vaults/${id.slice(0, 30)}`, response);
      if (problem) problems.push(problem);
      else if (response.status < 300) problems.push(`GET /v1/vaults/${id.slice(0, 30)} → ${response.status} for an id that cannot exist`);
    }
    expect(problems).toEqual([]);
  });

  it("answers a JSON body sent with another content type without a 5xx", async () => {
    const response = await raw("POST", "/v1/vaults", {
      rawBody: JSON.stringify({ display_name: uniqueName("text plain") }),
      headers: { "content-type": "text/plain" },
    });
    if (response.status >= 400) expectClientErrorEnvelope(response, "text/plain body");
    else expectSuccess(response, "text/plain body");
  });
});
