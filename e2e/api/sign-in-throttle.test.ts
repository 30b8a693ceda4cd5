// Sign-in throttling that nobody can aim at the owner (issue 9 item 5, SPEC §9): failures count per
// (email, client address) with growing waits; an email's failures from many clients only space its
// attempts out; an address is never blocked as such. The client address is the socket's peer, or,
// from a peer listed in CONSOLE_TRUSTED_PROXIES, the right-most X-Forwarded-For entry that is not a
// proxy. Clients are told apart by the loopback address they connect from (all of 127.0.0.0/8 is
// this machine's), so every request still goes to 127.0.0.1 only.
import { randomBytes, randomInt } from "node:crypto";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startOwnConsole, type OwnConsole } from "./own-console";
import { BETA_HEADER, baseUrl, client, createApiKey, createLlmVault, createSession, createSessionPrerequisites, guardResponses, requiredEnv } from "./support";

guardResponses();

interface SignInAnswer {
  status: number;
  location: string;
  retryAfter: number | null;
  body: string;
  signedIn: boolean;
}

interface From {
  /** The loopback address the request leaves from: the client, as the console's socket sees it. */
  localAddress?: string;
  forwardedFor?: string;
  headers?: Record<string, string>;
}

function send(url: string, method: string, from: From, body?: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const target = new URL(url);
    const outgoing: Record<string, string> = { ...headers, ...from.headers };
    if (from.forwardedFor !== undefined) outgoing["x-forwarded-for"] = from.forwardedFor;
    if (body !== undefined) outgoing["content-length"] = String(Buffer.byteLength(body));
    const request = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method,
        headers: outgoing,
        localAddress: from.localAddress,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** A sign-in posted to Auth.js's credentials callback, as the browser form fallback does. */
async function signIn(consoleUrl: string, email: string, password: string, from: From = {}): Promise<SignInAnswer> {
  const csrf = await send(`${consoleUrl}/api/auth/csrf`, "GET", from);
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const cookie = ([] as string[])
    .concat(csrf.headers["set-cookie"] ?? [])
    .map((header) => header.split(";")[0])
    .join("; ");
  const answer = await send(
    `${consoleUrl}/api/auth/callback/credentials`,
    "POST",
    from,
    new URLSearchParams({ csrfToken, email, password, callbackUrl: `${consoleUrl}/vaults` }).toString(),
    { "content-type": "application/x-www-form-urlencoded", cookie, origin: consoleUrl },
  );
  const setCookies = ([] as string[]).concat(answer.headers["set-cookie"] ?? []);
  const retryAfter = answer.headers["retry-after"];
  return {
    status: answer.status,
    location: String(answer.headers.location ?? ""),
    retryAfter: typeof retryAfter === "string" ? Number(retryAfter) : null,
    body: answer.body,
    signedIn: setCookies.some((header) => /^authjs\.session-token=[^;]+/.test(header)),
  };
}

/** A loopback address no other test uses: a fresh client. */
function freshClient(): string {
  return `127.${randomInt(1, 250)}.${randomInt(1, 250)}.${randomInt(2, 250)}`;
}

function randomEmail(label: string): string {
  return `${label}-${randomBytes(5).toString("hex")}@console.test`;
}

const wrong = (label: string) => `wrong-CANARYSECRET-${label}-${randomBytes(4).toString("hex")}`;

function expectRefusedAsInvalid(answer: SignInAnswer, label: string): void {
  expect(answer.status, `${label}: ${answer.location}`).toBe(302);
  expect(answer.location, label).toContain("code=invalid");
  expect(answer.signedIn, label).toBe(false);
}

function expectThrottled(answer: SignInAnswer, label: string): number {
  expect(answer.status, `${label}: ${answer.location}`).toBe(429);
  expect(answer.retryAfter, `${label}: retry-after`).not.toBeNull();
  expect(answer.body).toMatch(/Try again in \d+ seconds?/);
  expect(answer.signedIn, label).toBe(false);
  return answer.retryAfter ?? 0;
}

const sleep = (seconds: number) => new Promise((wake) => setTimeout(wake, seconds * 1000 + 150));

describe("sign-in throttling on the suite's console (no trusted proxies)", () => {
  it("keeps the owner's right password working from another client after an attacker's failures", { timeout: 120_000 }, async () => {
    const owner = { email: requiredEnv("CONSOLE_TEST_ADMIN_EMAIL"), password: requiredEnv("CONSOLE_TEST_ADMIN_PASSWORD") };
    const attacker = { localAddress: freshClient() };

    // 30+ failures with random emails from one address: each is just a wrong password, and none
    // blocks the address.
    for (let attempt = 0; attempt < 32; attempt++) {
      expectRefusedAsInvalid(await signIn(baseUrl(), randomEmail("random"), wrong("random"), attacker), `random email ${attempt}`);
    }
    // 30+ with the owner's email from the same address: after the free attempts, that pair waits.
    const answers: SignInAnswer[] = [];
    for (let attempt = 0; attempt < 32; attempt++) answers.push(await signIn(baseUrl(), owner.email, wrong("owner"), attacker));
    expect(answers.filter((answer) => answer.signedIn)).toEqual([]);
    expect(answers.filter((answer) => answer.status === 429).length).toBeGreaterThanOrEqual(27);
    // Even the right password is not checked from the attacker's client while it waits…
    expectThrottled(await signIn(baseUrl(), owner.email, owner.password, attacker), "right password from the attacker's client");

    // …but the owner, from another client, signs in at once.
    const fromOwner = await signIn(baseUrl(), owner.email, owner.password, { localAddress: freshClient() });
    expect(fromOwner.status, fromOwner.location).toBe(302);
    // Auth.js names the console by the host Next was started with (127.0.0.1 or localhost).
    expect(new URL(fromOwner.location, baseUrl()).pathname).toBe("/vaults");
    expect(new URL(fromOwner.location, baseUrl()).port).toBe(new URL(baseUrl()).port);
    expect(fromOwner.signedIn).toBe(true);
  });

  it("lets a client's waits grow after its free attempts, and says so with 429 and retry-after", { timeout: 60_000 }, async () => {
    const email = randomEmail("backoff");
    const client = { localAddress: freshClient() };
    for (let attempt = 1; attempt <= 4; attempt++) expectRefusedAsInvalid(await signIn(baseUrl(), email, wrong("free"), client), `free attempt ${attempt}`);
    const waits = [expectThrottled(await signIn(baseUrl(), email, wrong("5"), client), "fifth attempt")];
    for (let round = 0; round < 2; round++) {
      await sleep(waits.at(-1) ?? 1);
      waits.push(expectThrottled(await signIn(baseUrl(), email, wrong(`late ${round}`), client), `after waiting ${round}`));
    }
    expect(waits).toEqual([1, 2, 4]);
  });

  it("spaces out one email's attempts from many clients instead of locking it", { timeout: 60_000 }, async () => {
    const email = randomEmail("spacing");
    for (let attempt = 0; attempt < 10; attempt++) {
      expectRefusedAsInvalid(await signIn(baseUrl(), email, wrong("many"), { localAddress: freshClient() }), `client ${attempt}`);
    }
    // Past ten recent failures, each attempt waits a couple of seconds after the last failure.
    const spacedFor = expectThrottled(await signIn(baseUrl(), email, wrong("too soon"), { localAddress: freshClient() }), "too soon");
    expect(spacedFor).toBeLessThanOrEqual(2);
    await sleep(spacedFor);
    expectRefusedAsInvalid(await signIn(baseUrl(), email, wrong("after the slot"), { localAddress: freshClient() }), "after the slot");
  });

  it("ignores X-Forwarded-For without trusted proxies: a client cannot pose as many", { timeout: 60_000 }, async () => {
    const email = randomEmail("spoof");
    const client = freshClient();
    const answers: SignInAnswer[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      answers.push(await signIn(baseUrl(), email, wrong("spoof"), { localAddress: client, forwardedFor: `198.51.100.${attempt + 1}` }));
    }
    expect(answers.map((answer) => answer.status)).toEqual([302, 302, 302, 302, 429, 429]);
  });
});

describe("CONSOLE_TRUSTED_PROXIES", () => {
  const PROXY = "127.0.0.2";
  let own: OwnConsole | undefined;

  beforeAll(async () => {
    own = await startOwnConsole({ CONSOLE_TRUSTED_PROXIES: `${PROXY},10.0.0.0/8` });
  }, 180_000);

  afterAll(async () => {
    await own?.stop();
  }, 60_000);

  const url = () => {
    if (!own) throw new Error("the console with trusted proxies did not start");
    return own.url;
  };

  it("tells clients behind a trusted proxy apart by X-Forwarded-For", { timeout: 60_000 }, async () => {
    const email = randomEmail("proxied");
    // Six clients behind the proxy, one attempt each: six pairs, none waits.
    for (let client = 1; client <= 6; client++) {
      expectRefusedAsInvalid(await signIn(url(), email, wrong("proxied"), { localAddress: PROXY, forwardedFor: `203.0.113.${client}` }), `client ${client}`);
    }
    // One client behind the proxy (and another proxy hop of the trusted range) is one pair,
    // whatever it writes to the left of what the proxies appended.
    const answers: SignInAnswer[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      answers.push(
        await signIn(url(), email, wrong("one client"), {
          localAddress: PROXY,
          forwardedFor: `192.0.2.${attempt + 1}, 203.0.113.50, 10.1.2.3`,
        }),
      );
    }
    expect(answers.map((answer) => answer.status)).toEqual([302, 302, 302, 302, 429, 429]);
  });

  it("believes X-Forwarded-For only from a trusted peer", { timeout: 60_000 }, async () => {
    const email = randomEmail("untrusted-peer");
    const answers: SignInAnswer[] = [];
    // 127.0.0.1 is not listed: its X-Forwarded-For is dropped, so these are one client.
    for (let attempt = 0; attempt < 6; attempt++) {
      answers.push(await signIn(url(), email, wrong("untrusted"), { localAddress: "127.0.0.1", forwardedFor: `203.0.113.${100 + attempt}` }));
    }
    expect(answers.map((answer) => answer.status)).toEqual([302, 302, 302, 302, 429, 429]);
  });

  it("sends HSTS only when a trusted proxy says the request came over https", async () => {
    const viaProxy = await send(`${url()}/sign-in`, "GET", { localAddress: PROXY, headers: { "x-forwarded-proto": "https" } });
    expect(viaProxy.headers["strict-transport-security"]).toMatch(/^max-age=\d+/);
    const direct = await send(`${url()}/sign-in`, "GET", { localAddress: "127.0.0.1", headers: { "x-forwarded-proto": "https" } });
    expect(direct.headers["strict-transport-security"]).toBeUndefined();
    const plain = await send(`${baseUrl()}/sign-in`, "GET", { headers: { "x-forwarded-proto": "https" } });
    expect(plain.headers["strict-transport-security"]).toBeUndefined();
  });

  // The runtime settings used http and the Host header behind a proxy: the runtime got an
  // ANTHROPIC_BASE_URL on the proxy's inside address, not the origin its callers use.
  it("builds the runtime's ANTHROPIC_BASE_URL from a trusted proxy's X-Forwarded-Proto/-Host, and only from it", { timeout: 60_000 }, async () => {
    const ownerKey = own?.ownerKey ?? undefined;
    const sdk = client({ baseURL: url(), apiKey: ownerKey });
    const vault = await createLlmVault(sdk, "forwarded-origin");
    const session = await createSession(sdk, await createSessionPrerequisites(sdk, "forwarded origin"), { vault_ids: [vault.id] });
    const runtimeKey = await createApiKey("runtime", { baseURL: url(), ownerKey, scope: { session_ids: [session.id] } });
    const baseUrlFrom = async (localAddress: string): Promise<string> => {
      const answer = await send(`${url()}/v1/sessions/${session.id}/runtime`, "POST", {
        localAddress,
        headers: {
          "x-api-key": runtimeKey.key,
          "anthropic-beta": BETA_HEADER,
          "x-forwarded-proto": "https",
          "x-forwarded-host": "console.example",
        },
      });
      expect(answer.status, answer.body).toBe(200);
      return (JSON.parse(answer.body) as { env: { ANTHROPIC_BASE_URL: string } }).env.ANTHROPIC_BASE_URL;
    };
    expect(await baseUrlFrom(PROXY)).toBe(`https://console.example/boundary/${session.id}`);
    // From a peer that is not a listed proxy the forwarded headers are dropped: http and its Host.
    expect(await baseUrlFrom("127.0.0.1")).toBe(`http://127.0.0.1:${new URL(url()).port}/boundary/${session.id}`);
  });
});
