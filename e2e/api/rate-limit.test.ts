// The rate limit per API key (SPEC §2, §9): a key over it gets 429 rate_limit_error with
// retry-after, and the counters live in the database, so the limit holds across processes. The
// shared consoles run with the default limit, far above anything the suite does; this file starts
// consoles of its own with a low one: two on PostgreSQL, sharing the suite's database, and one on
// the embedded database, which one process owns.
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startOwnConsole, sharedDatabaseUrl, type OwnConsole } from "./own-console";
import { client, createApiKey, expectApiError, guardResponses, raw, uniqueName, type CreatedApiKey, type RawResponse } from "./support";

guardResponses();

const LIMIT = 5;
let consoles: OwnConsole[] = [];

beforeAll(async () => {
  const count = sharedDatabaseUrl() ? 2 : 1;
  const started = await Promise.allSettled(Array.from({ length: count }, () => startOwnConsole({ CONSOLE_API_RATE_LIMIT_PER_MINUTE: String(LIMIT) })));
  consoles = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failure = started.find((result) => result.status === "rejected");
  if (failure) throw failure.reason;
}, 180_000);

afterAll(async () => {
  await Promise.all(consoles.map((own) => own.stop()));
}, 60_000);

function firstConsole(): OwnConsole {
  const [first] = consoles;
  if (!first) throw new Error("no console of this file's own is running");
  return first;
}

/**
 * A fresh key, so its window starts empty. On PostgreSQL the suite's owner key is busy with every
 * other file (far past LIMIT), so keys are made through the shared console and its default limit;
 * the embedded console has its own database and owner key (each key made counts one call on it).
 */
function newKey(): Promise<CreatedApiKey> {
  const own = firstConsole();
  return own.ownerKey ? createApiKey("admin", { baseURL: own.url, ownerKey: own.ownerKey }) : createApiKey("admin");
}

function listVaults(baseURL: string, key: string): Promise<RawResponse> {
  return raw("GET", "/v1/vaults?limit=1", { baseURL, headers: { "x-api-key": key } });
}

describe("the rate limit per API key", () => {
  it("lets a key make its calls, answers the next with 429 and retry-after, and leaves other keys alone", async () => {
    const { url } = firstConsole();
    const limited = await newKey();
    const other = await newKey();
    for (let call = 1; call <= LIMIT; call++) {
      expect((await listVaults(url, limited.key)).status, `call ${call} of ${LIMIT}`).toBe(200);
    }

    const refused = await listVaults(url, limited.key);
    await expectApiError(refused, 429, "rate_limit_error", `${LIMIT} requests per minute`);
    const retryAfter = refused.headers.get("retry-after") ?? "";
    expect(retryAfter, "retry-after is whole seconds").toMatch(/^[1-9]\d*$/);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);

    // A refused call goes no further than the key check: nothing is created.
    const name = uniqueName("refused while limited");
    const create = await raw("POST", "/v1/vaults", { baseURL: url, headers: { "x-api-key": limited.key }, body: { display_name: name } });
    await expectApiError(create, 429, "rate_limit_error");
    const search = await raw("GET", `/v1/vaults?q=${encodeURIComponent(name)}`, { baseURL: url, headers: { "x-api-key": other.key } });
    expect(search.status).toBe(200);
    expect((search.json as { data: unknown[] }).data).toEqual([]);

    // The official SDK, retries off, surfaces it as its RateLimitError.
    const sdkError: unknown = await client({ baseURL: url, apiKey: limited.key })
      .beta.vaults.list()
      .then(
        () => expect.fail("the SDK call over the limit succeeded"),
        (error: unknown) => error,
      );
    expect(sdkError).toBeInstanceOf(Anthropic.RateLimitError);
    const rateLimitError = sdkError as InstanceType<typeof Anthropic.RateLimitError>;
    expect(rateLimitError.status).toBe(429);
    expect(rateLimitError.headers?.get("retry-after")).toMatch(/^[1-9]\d*$/);
    expect(rateLimitError.requestID).toMatch(/^req_/);
  });

  it("counts concurrent calls once each, however many processes share the database", async () => {
    const key = await newKey();
    // Alternating over the processes: each gets more than LIMIT calls, and the shared counter lets
    // LIMIT through in all. A counter per process would let up to LIMIT through on each.
    const calls = Array.from({ length: LIMIT * 3 }, (_, index) => consoles[index % consoles.length] ?? firstConsole());
    const responses = await Promise.all(calls.map((own) => listVaults(own.url, key.key)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(LIMIT * 2);
    for (const own of consoles) {
      const refusedHere = responses.filter((response, index) => calls[index] === own && response.status === 429);
      expect(refusedHere.length, `429s from ${own.url}`).toBeGreaterThan(0);
    }
    for (const response of responses.filter((candidate) => candidate.status === 429)) {
      await expectApiError(response, 429, "rate_limit_error");
    }
  });
});
