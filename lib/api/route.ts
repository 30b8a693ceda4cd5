import { API_KEY_PATTERN } from "@/lib/crypto/api-keys";
import { ConsoleError } from "@/lib/errors";
import { isResourceId } from "@/lib/ids";
import { requestIdOf } from "@/lib/http/request-id";
import { actorLabel, noteRequestActor } from "@/lib/ops/request-actors";
import { errorResponse, errorToResponse, jsonResponse } from "@/lib/api/respond";
import { readJsonBody } from "@/lib/api/body";
import { BETA_HEADER, BETA_VERSION, CLIENT_ADDRESS_HEADER } from "@/lib/http/headers";
import { apiKeyPrincipal, authorize, userPrincipal, type Action } from "@/lib/auth/policy";
import { hasSessionCookie, isSameOriginRequest, userFromSessionCookie } from "@/lib/auth/request-session";
import { authenticateApiKey } from "@/lib/server/api-key-auth";
import type { RequestContext } from "@/lib/server/audit";
import { parseInput } from "@/lib/validation/parse";
import { listOptions, listQuerySchema, type ListOptions } from "@/lib/validation/pagination";
import type { z } from "zod";

/** What a route does, in the policy's words (lib/auth/policy.ts). */
export type Permission = Exclude<Action, "manage_users">;

/** The methods a route file exports; Next answers HEAD (from GET) and OPTIONS itself. */
type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type RouteParams = Record<string, string>;
type RouteHandler<Params> = (request: Request, route: { params: Promise<Params> }) => Promise<Response>;

export interface ApiCall<Params> {
  request: Request;
  params: Params;
  context: RequestContext;
  /** The JSON body (≤1 MiB, `{}` when empty), validated: a failure is a 400 naming each field. */
  input<Schema extends z.ZodType>(schema: Schema): Promise<z.output<Schema>>;
  /** The query string, validated; `key[]` parameters (the SDK's array format) arrive as arrays. */
  query<Schema extends z.ZodType>(schema: Schema): z.output<Schema>;
  /** The standard list query (`limit`, `page`, `include_archived`), validated. */
  listQuery(): ListOptions;
}

/** One method of a resource: what the policy must allow, and the handler (parse → service → serialize). */
export interface Endpoint<Params> {
  /** `none`: the request carries no API key because the handler checks a credential of its own (a run's claim token). */
  permission: Permission | "none";
  handle(call: ApiCall<Params>): Promise<unknown>;
}

/**
 * An endpoint that needs no API key because its body carries a one-time credential the service
 * checks itself: a run's claim token (POST /v1/runs/{run_id}/claim). Its context acts as the console.
 */
export function keyless<Params>(handle: (call: ApiCall<Params>) => Promise<unknown>): Endpoint<Params> {
  return { permission: "none", handle };
}

export function endpoint<Params>(permission: Permission, handle: (call: ApiCall<Params>) => Promise<unknown>): Endpoint<Params> {
  return { permission, handle };
}

export function read<Params>(handle: (call: ApiCall<Params>) => Promise<unknown>): Endpoint<Params> {
  return endpoint("read", handle);
}

export function write<Params>(handle: (call: ApiCall<Params>) => Promise<unknown>): Endpoint<Params> {
  return endpoint("write", handle);
}

function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    query[key] = key.endsWith("[]") ? params.getAll(key) : (params.get(key) ?? "");
  }
  return query;
}

function presentedKey(request: Request): string | null {
  const header = request.headers.get("x-api-key");
  if (header) return header.trim();
  const authorization = request.headers.get("authorization");
  const match = authorization?.match(/^Bearer\s+(.+)$/i);
  return match?.[1]?.trim() ?? null;
}

/**
 * The console's own pages call /v1 with the signed-in user's cookie. It counts only on a
 * same-origin request (a cross-site page can make the browser send the cookie, never read or
 * write through it) and carries the user's current role.
 */
async function authenticateSession(request: Request, permission: Permission, requestId: string): Promise<RequestContext> {
  if (!isSameOriginRequest(request)) {
    throw new ConsoleError(
      "authentication_error",
      "Missing API key: a session cookie is accepted only on same-origin requests from the console; send an API key in the x-api-key header",
    );
  }
  const user = await userFromSessionCookie(request);
  if (!user) throw new ConsoleError("authentication_error", "Your console session has expired or the user is disabled; sign in again");
  authorize(userPrincipal(user), permission);
  return { actor: { kind: "user", id: user.id }, requestId, clientAddress: request.headers.get(CLIENT_ADDRESS_HEADER) ?? undefined };
}

async function authenticate(request: Request, permission: Permission, requestId: string): Promise<RequestContext> {
  const key = presentedKey(request);
  if (!key) {
    if (hasSessionCookie(request)) return authenticateSession(request, permission, requestId);
    throw new ConsoleError("authentication_error", "Missing API key: send it in the x-api-key header or as Authorization: Bearer s0_…");
  }
  const apiKey = API_KEY_PATTERN.test(key) ? await authenticateApiKey(key) : null;
  if (!apiKey) throw new ConsoleError("authentication_error", "Invalid API key: it is unknown, revoked or expired");
  authorize(apiKeyPrincipal(apiKey), permission);
  return {
    actor: { kind: "api_key", id: apiKey.id },
    requestId,
    clientAddress: request.headers.get(CLIENT_ADDRESS_HEADER) ?? undefined,
  };
}

function checkPathIds(params: Record<string, string>): void {
  for (const [name, value] of Object.entries(params)) {
    if (!isResourceId(value)) throw new ConsoleError("not_found_error", `No resource has the ${name} ${JSON.stringify(value)}`);
  }
}

function checkBetaHeader(request: Request): void {
  const values = (request.headers.get(BETA_HEADER) ?? "").split(",").map((value) => value.trim());
  if (!values.includes(BETA_VERSION)) {
    throw new ConsoleError("invalid_request_error", `${BETA_HEADER}: this API is in beta; send the header "${BETA_HEADER}: ${BETA_VERSION}"`);
  }
}

/**
 * The one wrapper every /v1 endpoint goes through: request id, API key (and its rate limit)
 * and role, beta header, then the handler; whatever it throws becomes the Anthropic error envelope.
 */
function apiRoute<Params extends RouteParams>({ permission, handle }: Endpoint<Params>): RouteHandler<Params> {
  return async (request, route) => {
    const requestId = requestIdOf(request.headers);
    try {
      const context: RequestContext =
        permission === "none"
          ? { actor: { kind: "system" }, requestId, clientAddress: request.headers.get(CLIENT_ADDRESS_HEADER) ?? undefined }
          : await authenticate(request, permission, requestId);
      noteRequestActor(requestId, actorLabel(context.actor));
      checkBetaHeader(request);
      const params = await route.params;
      // Routes without dynamic segments get no params object at all.
      checkPathIds(params ?? {});
      const queryString = queryObject(new URL(request.url).searchParams);
      const query = <Schema extends z.ZodType>(schema: Schema) => parseInput(schema, queryString, "query");
      const body = await handle({
        request,
        params,
        context,
        input: async (schema) => parseInput(schema, await readJsonBody(request)),
        query,
        listQuery: () => listOptions(query(listQuerySchema)),
      });
      // A handler that streams (server-sent events) answers with its own Response.
      return body instanceof Response ? body : jsonResponse(body, requestId);
    } catch (error) {
      return errorToResponse(error, requestId);
    }
  };
}

/** For methods a route does not serve, so the caller gets the envelope instead of an empty 405. */
async function methodNotAllowed(request: Request): Promise<Response> {
  const requestId = requestIdOf(request.headers);
  return errorResponse("invalid_request_error", `${request.method} is not supported on ${new URL(request.url).pathname}`, requestId, {
    status: 405,
  });
}

/** A handler for each method Next routes, e.g. the same one for all (the unknown-path catch-all). */
export function eachMethod<Handler>(handlerFor: (method: HttpMethod) => Handler): Record<HttpMethod, Handler> {
  return {
    GET: handlerFor("GET"),
    POST: handlerFor("POST"),
    PUT: handlerFor("PUT"),
    PATCH: handlerFor("PATCH"),
    DELETE: handlerFor("DELETE"),
  };
}

/**
 * A /v1 resource, its methods declared once: each through the one wrapper, every other method a
 * 405 in the envelope. A route file exports the lot: `export const { GET, POST, PUT, PATCH, DELETE } = apiResource(…)`.
 */
export function apiResource<Params extends RouteParams = Record<string, never>>(
  endpoints: Partial<Record<HttpMethod, Endpoint<Params>>>,
): Record<HttpMethod, RouteHandler<Params>> {
  return eachMethod((method): RouteHandler<Params> => {
    const served = endpoints[method];
    return served ? apiRoute(served) : methodNotAllowed;
  });
}

/** What DELETE answers once `deletion` is done: the id and `<resource>_deleted`, as the official API does. */
export async function deleted(resource: string, id: string, deletion: Promise<void>): Promise<{ id: string; type: string }> {
  await deletion;
  return { id, type: `${resource}_deleted` };
}

/** A list response: `data`, `next_page`, and `prev_page` where the list has one (sessions). */
export function listPage<Item, Serialized>(
  page: { items: Item[]; nextPage: string | null; prevPage?: string | null },
  serialize: (item: Item) => Serialized,
): { data: Serialized[]; next_page: string | null; prev_page?: string | null } {
  const data = page.items.map(serialize);
  return page.prevPage === undefined ? { data, next_page: page.nextPage } : { data, next_page: page.nextPage, prev_page: page.prevPage };
}
