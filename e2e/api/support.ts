// Shared plumbing for the HTTP-level suite. The tests drive a running console (URL and owner key in
// CONSOLE_TEST_URL / CONSOLE_TEST_API_KEY) through the official SDK and through plain fetch, and
// check every response they see for two things the spec forbids anywhere: a secret in a response
// (SPEC §9) and a 5xx (SPEC §2: "4xx, never 5xx").
import { randomBytes } from "node:crypto";

import Anthropic from "@anthropic-ai/sdk";
import type { BetaManagedAgentsAgent } from "@anthropic-ai/sdk/resources/beta/agents/agents";
import type { BetaEnvironment } from "@anthropic-ai/sdk/resources/beta/environments/environments";
import type { BetaManagedAgentsSession } from "@anthropic-ai/sdk/resources/beta/sessions/sessions";
import type { BetaManagedAgentsVault } from "@anthropic-ai/sdk/resources/beta/vaults/vaults";
import type { BetaManagedAgentsCredential, BetaManagedAgentsStaticBearerCreateParams } from "@anthropic-ai/sdk/resources/beta/vaults/credentials";
import { afterEach, beforeAll, expect } from "vitest";
import type { DiagnosticCode } from "@/lib/serializers/diagnostics";

export type Vault = BetaManagedAgentsVault;
export type Credential = BetaManagedAgentsCredential;
export type Agent = BetaManagedAgentsAgent;
export type Environment = BetaEnvironment;
export type Session = BetaManagedAgentsSession;

export const BETA_HEADER = "managed-agents-2026-04-01";
/** Every secret the suite sends carries this marker; a later step scans logs and the database for it. */
export const SECRET_MARKER = "CANARYSECRET";
export const RESERVED = "sandbox0.managed_agents.";

export const ERROR_TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  409: "conflict_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
};

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the api project through scripts/test.ts, or export it yourself`);
  }
  return value;
}

export interface SetCookie {
  value: string;
  /** Everything after the name=value pair (HttpOnly, SameSite, …). */
  attributes: string;
}

/** The cookies of every Set-Cookie header, by name. */
export function setCookiesOf(response: Response): Map<string, SetCookie> {
  const cookies = new Map<string, SetCookie>();
  for (const header of response.headers.getSetCookie()) {
    const [pair = "", ...attributes] = header.split(";");
    const at = pair.indexOf("=");
    cookies.set(pair.slice(0, at).trim(), { value: pair.slice(at + 1), attributes: attributes.join(";") });
  }
  return cookies;
}

/** A Cookie header carrying these cookies. */
export function cookieHeaderOf(cookies: Map<string, SetCookie>): string {
  return [...cookies].map(([name, { value }]) => `${name}=${value}`).join("; ");
}

/** Auth.js's CSRF token and the cookie that goes with it (for a sign-in or a sign-out post). */
export async function authCsrf(cookie = ""): Promise<{ csrfToken: string; cookieHeader: string }> {
  const response = await fetch(`${baseUrl()}/api/auth/csrf`, { headers: cookie ? { cookie } : {} });
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { csrfToken, cookieHeader: cookieHeaderOf(setCookiesOf(response)) };
}

/** Signs the suite's owner in through the Auth.js endpoints, as a browser form post would. */
export async function signInOverHttp(options: { callbackUrl?: string } = {}): Promise<{ response: Response; cookies: Map<string, SetCookie> }> {
  const { csrfToken, cookieHeader } = await authCsrf();
  const response = await recordingFetch(`${baseUrl()}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader, origin: baseUrl() },
    body: new URLSearchParams({
      csrfToken,
      email: requiredEnv("CONSOLE_TEST_ADMIN_EMAIL"),
      password: requiredEnv("CONSOLE_TEST_ADMIN_PASSWORD"),
      callbackUrl: options.callbackUrl ?? `${baseUrl()}/vaults`,
    }),
  });
  return { response, cookies: setCookiesOf(response) };
}

export function baseUrl(): string {
  return requiredEnv("CONSOLE_TEST_URL").replace(/\/+$/, "");
}

/**
 * A second console process on the same PostgreSQL database, for races across processes (SPEC §4);
 * null in embedded mode, where PGlite is single-process by design and no second server runs.
 */
export function secondBaseUrl(): string | null {
  const value = process.env.CONSOLE_TEST_URL_2;
  return value ? value.replace(/\/+$/, "") : null;
}

export function apiKey(): string {
  return requiredEnv("CONSOLE_TEST_API_KEY");
}

// ---------------------------------------------------------------------------------------------
// Response recording: secret leaks and server errors
// ---------------------------------------------------------------------------------------------

interface Violation {
  kind: "secret_leak" | "server_error";
  request: string;
  status: number;
  detail: string;
}

const violations: Violation[] = [];

/** Test output must not carry secrets either: keep the marker, drop what follows it. */
export function redact(text: string): string {
  return text.replace(/CANARYSECRET[A-Za-z0-9_.~+/=-]*/g, "CANARYSECRET<redacted>");
}

function inspectHeaders(request: string, response: Response): void {
  const headerText = [...response.headers.entries()].map(([name, value]) => `${name}: ${value}`).join("\n");
  if (headerText.includes(SECRET_MARKER)) {
    violations.push({ kind: "secret_leak", request, status: response.status, detail: "in a response header" });
  }
}

function inspectBody(request: string, status: number, bodyText: string): void {
  if (status >= 500) {
    violations.push({ kind: "server_error", request, status, detail: redact(bodyText.slice(0, 500)) });
  }
  const at = bodyText.indexOf(SECRET_MARKER);
  if (at >= 0) {
    violations.push({
      kind: "secret_leak",
      request,
      status,
      detail: `in the body: …${redact(bodyText.slice(Math.max(0, at - 80), at + 80))}…`,
    });
  }
}

async function inspectResponse(method: string, url: string, response: Response): Promise<void> {
  const request = `${method} ${url}`;
  inspectHeaders(request, response);
  inspectBody(
    request,
    response.status,
    await response
      .clone()
      .text()
      .catch(() => "<unreadable>"),
  );
}

function describeRequest(input: string | URL | Request, init?: RequestInit): { method: string; url: string } {
  if (input instanceof Request) return { method: init?.method ?? input.method, url: input.url };
  return { method: init?.method ?? "GET", url: String(input) };
}

/** Global fetch, plus a look at every response for a secret or a 5xx. */
export const recordingFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const response = await fetch(input, init);
  const { method, url } = describeRequest(input, init);
  // A server-sent event stream may never end: its body is inspected as the caller reads it instead.
  if (response.headers.get("content-type")?.startsWith("text/event-stream")) return inspectedWhileRead(method, url, response);
  await inspectResponse(method, url, response);
  return response;
};

/** Inspections of responses handed over before their body was read; guardResponses() waits for them. */
const pendingInspections = new Set<Promise<void>>();
/** How long guardResponses() waits for a streamed body the test left unread. */
const PENDING_INSPECTION_WAIT_MS = 5_000;

/** The same bytes, passed on as they arrive; `done` gets all of them as text when the body ends, fails
 * or is cancelled. A cancel reaches the source, so a caller that stops reading closes the connection. */
function inspectedBody(source: ReadableStream<Uint8Array>, done: (text: string) => void): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  const decoder = new TextDecoder();
  let text = "";
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = await reader.read();
        if (chunk.done) {
          done(text + decoder.decode());
          controller.close();
          return;
        }
        text += decoder.decode(chunk.value, { stream: true });
        controller.enqueue(chunk.value);
      } catch (error) {
        done(text);
        controller.error(error);
      }
    },
    async cancel(reason) {
      done(text);
      await reader.cancel(reason);
    },
  });
}

/**
 * Like recordingFetch, but hands the response over at once and inspects its body as the caller reads
 * it, for tests that time a stream (recordingFetch reads the whole body before the caller sees any
 * of it). The inspection ends with the body; guardResponses() waits for it.
 */
export const streamingRecordingFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const response = await fetch(input, init);
  const { method, url } = describeRequest(input, init);
  return inspectedWhileRead(method, url, response);
};

function inspectedWhileRead(method: string, url: string, response: Response): Response {
  const request = `${method} ${url}`;
  inspectHeaders(request, response);
  if (!response.body) {
    inspectBody(request, response.status, "");
    return response;
  }
  let finish = (): void => undefined;
  const inspection = new Promise<void>((resolveInspection) => (finish = resolveInspection));
  pendingInspections.add(inspection);
  let finished = false;
  const body = inspectedBody(response.body, (text) => {
    if (finished) return;
    finished = true;
    inspectBody(request, response.status, text);
    pendingInspections.delete(inspection);
    finish();
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

function takeViolations(kind: Violation["kind"]): Violation[] {
  const taken: Violation[] = [];
  for (let index = violations.length - 1; index >= 0; index -= 1) {
    const violation = violations[index];
    if (violation && violation.kind === kind) {
      taken.unshift(violation);
      violations.splice(index, 1);
    }
  }
  return taken;
}

function formatViolations(found: Violation[]): string[] {
  return found.map((violation) => `${violation.request} → ${violation.status}: ${violation.detail}`);
}

/** No response seen since the last check carried the secret marker (SPEC §4, §9). */
export function expectNoSecretLeaks(): void {
  expect(formatViolations(takeViolations("secret_leak")), "responses that contained a secret").toEqual([]);
}

/** No response seen since the last check was a 5xx (SPEC §2). */
export function expectNoServerErrors(): void {
  expect(formatViolations(takeViolations("server_error")), "responses with a 5xx status").toEqual([]);
}

/**
 * For a test whose expected answer is a 5xx (the boundary passing an upstream's 500 on, or its 502
 * for an unreachable upstream): takes the recorded 5xx responses to URLs containing `urlPart`, so
 * guardResponses() does not fail the test for them, and returns their statuses for the test to check.
 */
export function takeServerErrors(urlPart: string): number[] {
  const taken: number[] = [];
  for (let index = 0; index < violations.length;) {
    const violation = violations[index];
    if (violation?.kind === "server_error" && violation.request.includes(urlPart)) {
      taken.push(violation.status);
      violations.splice(index, 1);
    } else {
      index += 1;
    }
  }
  return taken;
}

/** Each test file calls this once: every test then fails if it saw a leaked secret or a 5xx. */
export function guardResponses(): void {
  afterEach(async () => {
    await Promise.race([Promise.all(pendingInspections), new Promise((wake) => setTimeout(wake, PENDING_INSPECTION_WAIT_MS))]);
    expectNoSecretLeaks();
    expectNoServerErrors();
  });
}

// ---------------------------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------------------------

/** The SDK against the console under test; `baseURL` picks another process (see secondBaseUrl()),
 * `apiKey` another key than the owner's (see createApiKey()). */
export function client(options: { baseURL?: string; apiKey?: string } = {}): Anthropic {
  return new Anthropic({
    baseURL: options.baseURL ?? baseUrl(),
    apiKey: options.apiKey ?? apiKey(),
    maxRetries: 0,
    fetch: recordingFetch,
  });
}

export interface RawOptions {
  /** Serialized with JSON.stringify. */
  body?: unknown;
  /** Sent as is, for malformed or oversized bodies. */
  rawBody?: string;
  /** Extra headers; they override the defaults. */
  headers?: Record<string, string>;
  omitApiKey?: boolean;
  omitBeta?: boolean;
  /** Another console process (see secondBaseUrl()); the first one by default. */
  baseURL?: string;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  /** Parsed body, or undefined when the body is not JSON. */
  json: unknown;
  text: string;
}

/** A plain HTTP call with the owner key in `x-api-key` and the beta header, unless told otherwise. */
export async function raw(method: string, path: string, options: RawOptions = {}): Promise<RawResponse> {
  const headers: Record<string, string> = {};
  if (!options.omitApiKey) headers["x-api-key"] = apiKey();
  if (!options.omitBeta) headers["anthropic-beta"] = BETA_HEADER;
  let body: string | undefined;
  if (options.rawBody !== undefined) {
    body = options.rawBody;
    headers["content-type"] = "application/json";
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] = "application/json";
  }
  Object.assign(headers, options.headers ?? {});
  const response = await recordingFetch(`${options.baseURL ?? baseUrl()}${path}`, { method, headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

function randomToken(length: number): string {
  return randomBytes(length).toString("base64url").slice(0, length);
}

export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${randomToken(8)}`;
}

/** A unique secret carrying the marker; ≥16 characters and ending in 4 random characters. */
export function secret(label: string): string {
  return `sk-ant-api03-${SECRET_MARKER}-${label}-${randomToken(24)}`;
}

/** A unique MCP server URL on a host no other test uses. */
export function uniqueMcpUrl(label = "mcp"): string {
  return `https://mcp-${uniqueSuffix().toLowerCase()}.example.com/${label}`;
}

export function uniqueName(label: string): string {
  return `e2e ${label} ${uniqueSuffix()}`;
}

/** `…` and the last four characters: the only part of a secret a response may show (SPEC §4). */
export function hintFor(secretValue: string): string {
  return `…${secretValue.slice(-4)}`;
}

/**
 * A request body the SDK's types do not allow (the LLM credential without `mcp_server_url`, or a
 * deliberately invalid value). The server, not the compiler, is what these tests check.
 */
export function unchecked<T>(value: unknown): T {
  return value as T;
}

/** The documented LLM credential: static bearer, no `mcp_server_url` (SPEC §4, "callers cast"). */
export function llmCredentialAuth(token: string): BetaManagedAgentsStaticBearerCreateParams {
  return unchecked<BetaManagedAgentsStaticBearerCreateParams>({ type: "static_bearer", token });
}

export function llmVaultMetadata(extra: Record<string, string> = {}): Record<string, string> {
  return { [`${RESERVED}role`]: "llm", [`${RESERVED}engine`]: "claude", ...extra };
}

export function credentialVaultMetadata(extra: Record<string, string> = {}): Record<string, string> {
  return {
    [`${RESERVED}role`]: "credential",
    [`${RESERVED}kind`]: "http_headers",
    [`${RESERVED}version`]: "1",
    [`${RESERVED}target_domains`]: "api.example.com,*.example.org",
    [`${RESERVED}headers_json`]: JSON.stringify({ "X-Api-Key": "{{secret}}" }),
    ...extra,
  };
}

export async function createVault(anthropic: Anthropic, label: string, metadata?: Record<string, string>): Promise<Vault> {
  return anthropic.beta.vaults.create({ display_name: uniqueName(label), ...(metadata ? { metadata } : {}) });
}

export async function createStaticBearer(
  anthropic: Anthropic,
  vaultId: string,
  mcpServerUrl: string = uniqueMcpUrl(),
  token: string = secret("bearer"),
): Promise<Credential> {
  return anthropic.beta.vaults.credentials.create(vaultId, {
    auth: { type: "static_bearer", token, mcp_server_url: mcpServerUrl },
  });
}

// ---------------------------------------------------------------------------------------------
// Assertions
// ---------------------------------------------------------------------------------------------

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|\+00:00)$/;

/** An RFC 3339 UTC timestamp within a few minutes of this machine's clock (same host as the server). */
export function expectTimestamp(value: unknown, label: string): void {
  expect(typeof value, `${label} is a string`).toBe("string");
  expect(value as string, `${label} is RFC 3339 UTC`).toMatch(RFC3339_UTC);
  const skew = Math.abs(Date.parse(value as string) - Date.now());
  expect(skew, `${label} is close to now`).toBeLessThan(10 * 60 * 1000);
}

const SECRET_FIELD_NAMES = new Set(["token", "access_token", "refresh_token", "client_secret", "secret_value", "secret", "ciphertext", "secret_ciphertext"]);

/** No field that could hold a secret, at any depth. */
export function expectNoSecretFields(value: unknown, label = "response"): void {
  const offending: string[] = [];
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, `${path}[${index}]`));
    } else if (node !== null && typeof node === "object") {
      for (const [key, child] of Object.entries(node)) {
        if (SECRET_FIELD_NAMES.has(key)) offending.push(`${path}.${key}`);
        walk(child, `${path}.${key}`);
      }
    }
  };
  walk(value, label);
  expect(offending, "fields that could carry a secret").toEqual([]);
  expect(JSON.stringify(value).includes(SECRET_MARKER), `${label} carries the secret marker`).toBe(false);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export type MessageCheck = string | RegExp | ReadonlyArray<string | RegExp>;

export interface ApiErrorDetails {
  status: number;
  type: string;
  message: string;
  requestId: string;
}

function checkEnvelope(
  status: number,
  body: unknown,
  requestIdHeader: string | null | undefined,
  expectedStatus: number,
  expectedType: string,
  messageIncludes?: MessageCheck,
): ApiErrorDetails {
  const summary = redact(JSON.stringify(body) ?? "").slice(0, 400);
  expect(status, `status (body: ${summary})`).toBe(expectedStatus);
  expect(isRecord(body), `error body is a JSON object (got ${summary})`).toBe(true);
  const envelope = body as Record<string, unknown>;
  expect(Object.keys(envelope).sort(), "envelope keys").toEqual(["error", "request_id", "type"]);
  expect(envelope.type).toBe("error");
  expect(isRecord(envelope.error), "envelope.error is an object").toBe(true);
  const error = envelope.error as Record<string, unknown>;
  expect(error.type, `error.type (message: ${String(error.message)})`).toBe(expectedType);
  expect(typeof error.message, "error.message is a string").toBe("string");
  const message = error.message as string;
  expect(message.length, "error.message is not empty").toBeGreaterThan(0);
  expect(message, "no stack trace in the message").not.toMatch(/\n\s+at |node_modules|prisma|PrismaClient/i);
  expect(typeof envelope.request_id, "request_id is a string").toBe("string");
  expect(requestIdHeader, "request-id response header").toBeTruthy();
  expect(envelope.request_id, "request_id matches the request-id header").toBe(requestIdHeader);
  if (messageIncludes !== undefined) expectMessage(message, messageIncludes);
  return { status, type: expectedType, message, requestId: envelope.request_id as string };
}

/** Each string must appear verbatim; each RegExp must match. */
export function expectMessage(message: string, checks: MessageCheck): void {
  const list: ReadonlyArray<string | RegExp> = typeof checks === "string" || checks instanceof RegExp ? [checks] : checks;
  for (const check of list) {
    if (typeof check === "string") expect(message, "error message").toContain(check);
    else expect(message, "error message").toMatch(check);
  }
}

/**
 * Checks the Anthropic error envelope `{"type":"error","error":{"type","message"},"request_id"}` and
 * the `request-id` header, for an SDK call (a promise that must reject with `Anthropic.APIError`) or
 * a raw response.
 */
export async function expectApiError(
  target: Promise<unknown> | RawResponse,
  status: number,
  type: string,
  messageIncludes?: MessageCheck,
): Promise<ApiErrorDetails> {
  if (target instanceof Promise) {
    let caught: unknown;
    let value: unknown;
    try {
      value = await target;
    } catch (error) {
      caught = error;
    }
    if (caught === undefined) {
      expect.fail(`expected ${status} ${type}, but the call succeeded with ${redact(JSON.stringify(value) ?? "").slice(0, 400)}`);
    }
    expect(caught, `expected an Anthropic.APIError, got ${String(caught)}`).toBeInstanceOf(Anthropic.APIError);
    const apiError = caught as InstanceType<typeof Anthropic.APIError>;
    return checkEnvelope(apiError.status ?? 0, apiError.error, apiError.headers?.get("request-id") ?? apiError.requestID, status, type, messageIncludes);
  }
  return checkEnvelope(target.status, target.json, target.headers.get("request-id"), status, type, messageIncludes);
}

/** Retrieve, update and archive of an id that does not exist each answer 404 (called one by one). */
export async function expectUnknownIdNotFound<Patch>(
  resource: {
    retrieve(id: string): Promise<unknown>;
    update(id: string, patch: Patch): Promise<unknown>;
    archive(id: string): Promise<unknown>;
  },
  id: string,
  patch: Patch,
): Promise<void> {
  await expectApiError(resource.retrieve(id), 404, "not_found_error");
  await expectApiError(resource.update(id, patch), 404, "not_found_error");
  await expectApiError(resource.archive(id), 404, "not_found_error");
}

/** The keys of a credential object: the official ones plus the console's `token_hint` (SPEC §4). */
export const CREDENTIAL_KEYS = ["archived_at", "auth", "created_at", "display_name", "id", "metadata", "token_hint", "type", "updated_at", "vault_id"];

export const VAULT_KEYS = ["archived_at", "created_at", "display_name", "id", "metadata", "type", "updated_at"];

export function tokenHintOf(credential: Credential): unknown {
  return (credential as unknown as Record<string, unknown>).token_hint;
}

/** Collects every item of a credentials list by walking `next_page` by hand. */
export async function listAllCredentialIds(anthropic: Anthropic, vaultId: string, includeArchived = false): Promise<string[]> {
  const ids: string[] = [];
  for await (const credential of anthropic.beta.vaults.credentials.list(vaultId, {
    limit: 100,
    include_archived: includeArchived,
  })) {
    ids.push(credential.id);
  }
  return ids;
}

/** The credential's `auth` as a plain record, for fields a given auth type's SDK type does not declare. */
export function authOf(credential: Credential): Record<string, unknown> {
  return credential.auth as unknown as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Agents, environments, sessions and diagnostics (SPEC §5, §6)
// ---------------------------------------------------------------------------------------------

export const AGENT_MODEL = "claude-sonnet-4-6";

/** The exact rule text SPEC §5 gives for a second LLM vault in vault_ids. */
export const MULTIPLE_LLM_VAULTS_MESSAGE = "Multiple LLM vaults attached: attach exactly one vault with sandbox0.managed_agents.role = llm";

/**
 * SPEC §5's checks in the order it lists them (the order a person should fix them in), written out
 * apart from the service so that the HTTP tests hold the service to the spec, not to itself.
 */
export const DIAGNOSTIC_CODES: readonly DiagnosticCode[] = (
  "no_llm_vault multiple_llm_vaults engine_mismatch llm_vault_archived no_active_credential credential_not_static_bearer " +
  "credential_has_mcp_server_url openai_compatible_endpoint llm_endpoint_refused master_key_missing"
).split(" ") as DiagnosticCode[];

export type { DiagnosticCode };

export interface DiagnosticCheck {
  code: DiagnosticCode;
  ok: boolean;
  message: string;
  fix: string | null;
  /** Not ok because an earlier check failed (one failure per cause); its fix is that check's. */
  skipped: boolean;
}

/** `GET /v1/sessions/{id}/diagnostics`, a console extension the SDK has no method for. */
export interface SessionDiagnostics {
  type: "session_diagnostics";
  session_id: string;
  ready: boolean;
  checks: DiagnosticCheck[];
  /** The session's latest session.error, or null. */
  last_error: { event_id: string; type: string; message: string; at: string } | null;
}

export async function createAgent(
  anthropic: Anthropic,
  label: string,
  extra: Partial<Parameters<Anthropic["beta"]["agents"]["create"]>[0]> = {},
): Promise<Agent> {
  return anthropic.beta.agents.create({ name: uniqueName(label), model: AGENT_MODEL, ...extra });
}

export async function createEnvironment(anthropic: Anthropic, label: string): Promise<Environment> {
  return anthropic.beta.environments.create({
    name: uniqueName(label),
    config: { type: "cloud", networking: { type: "unrestricted" } },
  });
}

/** An LLM vault as the docs make one, holding its unbound static bearer unless told otherwise. */
export async function createLlmVault(anthropic: Anthropic, label: string, options: { withCredential?: boolean } = {}): Promise<Vault> {
  const vault = await createVault(anthropic, label, llmVaultMetadata());
  if (options.withCredential ?? true) {
    await anthropic.beta.vaults.credentials.create(vault.id, { auth: llmCredentialAuth(secret(`llm-${label}`)) });
  }
  return vault;
}

/** An LLM vault whose model endpoint is `upstream`, holding one static bearer `token`. */
export async function createLlmVaultOn(
  anthropic: Anthropic,
  label: string,
  upstream: string,
  token: string = secret(label),
): Promise<{ vault: Vault; credentialId: string; token: string }> {
  const vault = await createVault(anthropic, label, llmVaultMetadata({ [`${RESERVED}llm_base_url`]: upstream }));
  const credential = await anthropic.beta.vaults.credentials.create(vault.id, { auth: llmCredentialAuth(token) });
  return { vault, credentialId: credential.id, token };
}

/** An agent and an environment a session can be created with. */
export interface SessionPrerequisites {
  agent: Agent;
  environment: Environment;
}

export async function createSessionPrerequisites(anthropic: Anthropic, label: string): Promise<SessionPrerequisites> {
  const [agent, environment] = await Promise.all([createAgent(anthropic, label), createEnvironment(anthropic, label)]);
  return { agent, environment };
}

export async function createSession(
  anthropic: Anthropic,
  { agent, environment }: SessionPrerequisites,
  extra: Partial<Parameters<Anthropic["beta"]["sessions"]["create"]>[0]> = {},
): Promise<Session> {
  return anthropic.beta.sessions.create({ agent: agent.id, environment_id: environment.id, ...extra });
}

export async function getDiagnostics(anthropic: Anthropic, sessionId: string): Promise<SessionDiagnostics> {
  return anthropic.get<SessionDiagnostics>(`/v1/sessions/${sessionId}/diagnostics`, {
    headers: { "anthropic-beta": BETA_HEADER },
  });
}

/** The check with this code; fails the test when the response lacks it. */
export function checkOf(diagnostics: SessionDiagnostics, code: DiagnosticCode): DiagnosticCheck {
  const found = diagnostics.checks.find((entry) => entry.code === code);
  expect(found, `diagnostics has a ${code} check`).toBeDefined();
  return found as DiagnosticCheck;
}

// ---------------------------------------------------------------------------------------------
// Runtime settings and the boundary (SPEC §7)
// ---------------------------------------------------------------------------------------------

/** `POST /v1/sessions/{id}/runtime`, a console extension the SDK has no method for. */
export interface SessionRuntime {
  type: "session_runtime";
  session_id: string;
  engine: string;
  mode: "boundary" | "egress";
  /** The egress CA and the bundle a runtime writes to its CA path; null in boundary mode. */
  ca_certificate: string | null;
  ca_bundle: string | null;
  env: { ANTHROPIC_BASE_URL: string; ANTHROPIC_API_KEY: string; CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: string } & Record<string, string>;
}

/** A session's runtime settings, fetched with a runtime key (from another console with `baseURL`); boundary mode unless `body` says otherwise. */
export function fetchRuntime(
  sessionId: string,
  runtimeKey: string,
  baseURL?: string,
  body?: { mode: "boundary" | "egress"; ca_path?: string },
): Promise<SessionRuntime> {
  return client({ baseURL, apiKey: runtimeKey }).post<SessionRuntime>(`/v1/sessions/${sessionId}/runtime`, {
    headers: { "anthropic-beta": BETA_HEADER },
    ...(body ? { body } : {}),
  });
}

/**
 * The runtime's side of the boundary: the official SDK as a harness configures it from the env, with
 * the placeholder as its key (or, with `bearer`, as its auth token, as a harness that sets ANTHROPIC_AUTH_TOKEN does). `fetch` replaces the recording
 * one for a test that counts attempts; it must record too.
 */
export function runtimeSdk(runtime: SessionRuntime, options: { bearer?: boolean; maxRetries?: number; fetch?: typeof recordingFetch } = {}): Anthropic {
  const { ANTHROPIC_BASE_URL, ANTHROPIC_API_KEY } = runtime.env;
  return new Anthropic({
    baseURL: ANTHROPIC_BASE_URL,
    ...(options.bearer ? { apiKey: null, authToken: ANTHROPIC_API_KEY } : { apiKey: ANTHROPIC_API_KEY }),
    maxRetries: options.maxRetries ?? 0,
    fetch: options.fetch ?? streamingRecordingFetch,
  });
}

/** An LLM session wired to an upstream, as a runtime's operator sets one up. */
export interface WiredSession {
  vault: Vault;
  credentialId: string;
  token: string;
  session: Session;
  runtime: SessionRuntime;
}

/** An LLM vault on `upstream` holding one fresh token, a session on it and its runtime settings. */
export async function wireSession(
  anthropic: Anthropic,
  label: string,
  upstream: string,
  via: { prerequisites: SessionPrerequisites; runtimeKey: string },
): Promise<WiredSession> {
  const llm = await createLlmVaultOn(anthropic, label, upstream);
  const session = await createSession(anthropic, via.prerequisites, { vault_ids: [llm.vault.id] });
  return { ...llm, session, runtime: await fetchRuntime(session.id, via.runtimeKey) };
}

/** One environment a test file makes all its sessions in, with one runtime key scoped to it. */
export interface RuntimeEnvironment {
  readonly prerequisites: SessionPrerequisites;
  readonly runtimeKey: CreatedApiKey;
  /** A WiredSession in this environment, its settings fetched with this key. */
  wire(upstream: string, label: string): Promise<WiredSession>;
}

/** Makes the file's RuntimeEnvironment in a beforeAll; its fields are there once that has run. */
export function setUpRuntimeEnvironment(anthropic: Anthropic, label: string): RuntimeEnvironment {
  let made: { prerequisites: SessionPrerequisites; runtimeKey: CreatedApiKey } | undefined;
  beforeAll(async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, label);
    made = { prerequisites, runtimeKey: await createApiKey("runtime", { scope: { environment_id: prerequisites.environment.id } }) };
  });
  const ready = () => {
    if (!made) throw new Error("setUpRuntimeEnvironment: used before its beforeAll ran");
    return made;
  };
  return {
    get prerequisites() {
      return ready().prerequisites;
    },
    get runtimeKey() {
      return ready().runtimeKey;
    },
    wire: (upstream, wireLabel) =>
      wireSession(anthropic, `${label}-${wireLabel}`, upstream, {
        prerequisites: ready().prerequisites,
        runtimeKey: ready().runtimeKey.key,
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// API keys (`/v1/api_keys`, a console extension the SDK has no method for)
// ---------------------------------------------------------------------------------------------

export type CreatedApiKeyRole = "admin" | "viewer" | "runtime";

export interface CreatedApiKey {
  id: string;
  role: CreatedApiKeyRole;
  /** The key itself, which only the create response shows. */
  key: string;
}

/** What a runtime key may fetch runtime settings for: given sessions, or one environment's. */
export type RuntimeKeyScope = { session_ids: string[] } | { environment_id: string };

/**
 * A new key of `role`, made with the owner key (or, on another console, with its `ownerKey`).
 * Runtime keys need a `scope`.
 */
export async function createApiKey(
  role: CreatedApiKeyRole,
  via: { baseURL?: string; ownerKey?: string; scope?: RuntimeKeyScope } = {},
): Promise<CreatedApiKey> {
  const response = await raw("POST", "/v1/api_keys", {
    body: { name: uniqueName(`${role} key`), role, ...via.scope },
    baseURL: via.baseURL,
    headers: via.ownerKey ? { "x-api-key": via.ownerKey } : {},
  });
  expect(response.status, `POST /v1/api_keys answered ${redact(response.text).slice(0, 300)}`).toBe(200);
  const created = response.json as { id: string; role: string; key: string };
  expect(created.role).toBe(role);
  expect(created.key).toMatch(/^s0_/);
  return { id: created.id, role, key: created.key };
}
