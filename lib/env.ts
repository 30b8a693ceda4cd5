import path from "node:path";
import { z } from "zod";
import { NO_PRIVATE_ENDPOINTS, parsePrivateEndpoints } from "@/lib/boundary/endpoint-policy";
import { checkTrustedProxyEntry } from "@/lib/http/client-address";
import { RUN_LEASE_DEFAULT_SECONDS, RUN_LEASE_MIN_SECONDS, RUNNER_REST_DEFAULT_SECONDS } from "@/lib/runner/protocol";
import { emailSchema, newPasswordSchema } from "@/lib/validation/users";

const base64Key = z.string().refine((value) => Buffer.from(value, "base64").length === 32 && /^[A-Za-z0-9+/]+={0,2}$/.test(value), {
  message: "must be 32 random bytes, base64-encoded. Make one with: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64'))\"",
});

/** A comma list of master keys; spaces and empty items are ignored. */
const base64KeyList = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .pipe(z.array(base64Key));

// Empty strings count as unset, so `FOO= npm start` behaves like leaving FOO out.
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

export const DEFAULT_API_RATE_LIMIT_PER_MINUTE = 6000;

/**
 * Runs worked at once per process (console or `npm run runner`): each is an Agent SDK process. A run
 * waiting for a tool confirmation keeps its slot (its runner holds the turn), so a few are spare.
 */
export const DEFAULT_RUNNERS = 4;
export const runnerCount = z
  .string()
  .regex(/^\d+$/, "must be a whole number of runs worked at once (0 for none)")
  .transform(Number)
  .pipe(z.number().max(64, "must be at most 64"));
/** The counter is a 32-bit integer in the database; a limit near its top could never be reached. */
const API_RATE_LIMIT_MAX = 1_000_000_000;

function isOriginAlone(url: URL): boolean {
  return url.pathname === "/" && url.search === "" && url.hash === "" && url.username === "" && url.password === "";
}

const envSchema = z
  .object({
    HOST: optional(z.string()).transform((value) => value ?? "127.0.0.1"),
    PORT: optional(z.coerce.number().int().min(1).max(65535)).transform((value) => value ?? 3000),
    /** The egress proxy's port, on HOST (runtimes in egress mode send their traffic there); 0 turns it off. */
    CONSOLE_EGRESS_PORT: optional(z.coerce.number().int().min(0).max(65535)).transform((value) => value ?? 3128),
    /** A port of its own for the credential boundary, on HOST and a thread of its own (lib/boundary/door-thread.ts); 0: only the console's port serves it. */
    CONSOLE_BOUNDARY_PORT: optional(z.coerce.number().int().min(0).max(65535)).transform((value) => value ?? 0),
    /** Run workers in the console process (the embedded default, SPEC §7a); 0 leaves runs to `npm run runner` elsewhere. */
    CONSOLE_RUNNERS: optional(runnerCount).transform((value) => value ?? DEFAULT_RUNNERS),
    /** Runners kept started ahead of their runs (a warm pool); unset: 2, at most CONSOLE_RUNNERS (lib/runner/runner-launcher.ts); 0 for none. */
    CONSOLE_RUNNER_POOL: optional(runnerCount),
    // The two directories below are runtime paths, not build inputs: turbopackIgnore keeps Next's
    // build from tracing the whole project into the server output for them.
    /** Where runners keep each session's working directory; `<CONSOLE_DATA_DIR>/runs` when unset. */
    CONSOLE_RUNNER_DIR: optional(z.string()).transform((value) => (value === undefined ? undefined : path.resolve(/* turbopackIgnore: true */ value))),
    DATABASE_URL: optional(z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")),
    CONSOLE_DATA_DIR: optional(z.string()).transform((value) => path.resolve(/* turbopackIgnore: true */ value ?? ".data")),
    CONSOLE_MASTER_KEY: optional(base64Key),
    /**
     * Master keys that open secrets but never seal new ones: the first phase of a rotation (the new
     * key, rolled out everywhere before any process seals under it) and the last (the old key, until
     * `keys:rotate` has moved every row off it).
     */
    CONSOLE_MASTER_KEY_ACCEPTED: optional(base64KeyList).transform((value) => value ?? []),
    /** The former name of CONSOLE_MASTER_KEY_ACCEPTED, still read so existing deployments keep working. */
    CONSOLE_MASTER_KEY_PREVIOUS: optional(base64KeyList).transform((value) => value ?? []),
    /**
     * Where runtimes reach the boundary's door when the console's own origin and CONSOLE_BOUNDARY_PORT
     * on its host do not say it: a TLS proxy in front of the door's port, or an inside address.
     * An origin alone; runtimes are given `<origin>/boundary/<session>`.
     */
    CONSOLE_BOUNDARY_URL: optional(
      z
        .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
        // zod 4 runs a refinement after a failed check too: a value that is no URL was reported by z.url.
        .refine(
          (value) => !URL.canParse(value) || isOriginAlone(new URL(value)),
          "must be an origin alone, such as https://boundary.example.com: runtimes are given <origin>/boundary/<session>",
        )
        .transform((value) => new URL(value).origin),
    ),
    /** The origin runtimes reach this console at, when it differs from the request's (a proxy). */
    CONSOLE_PUBLIC_URL: optional(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).transform((value) => new URL(value).origin)),
    /**
     * Where this console's README is published (`https://…/README.md`): each page header links to its
     * section there (lib/docs-sections.ts). Unset: no Docs links.
     */
    CONSOLE_DOCS_URL: optional(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" })),
    CONSOLE_BOOTSTRAP_API_KEY: optional(z.string().regex(/^s0_[A-Za-z0-9_-]{32,}$/, "must be s0_ followed by at least 32 URL-safe characters")),
    /** The first owner of the admin UI, created at first start when the console has no user yet. */
    ADMIN_EMAIL: optional(emailSchema),
    ADMIN_PASSWORD: optional(newPasswordSchema),
    /**
     * Requests per minute each API key may make on /v1; 0 turns the limit off. The default is far
     * above what a person or a CI job does with one key, and stops a runaway loop.
     */
    CONSOLE_API_RATE_LIMIT_PER_MINUTE: optional(
      z
        .string()
        .regex(/^\d+$/, "must be a whole number of requests per minute (0 turns the limit off)")
        .transform(Number)
        .pipe(z.number().max(API_RATE_LIMIT_MAX, `must be at most ${API_RATE_LIMIT_MAX}`)),
    ).transform((value) => value ?? DEFAULT_API_RATE_LIMIT_PER_MINUTE),
    /**
     * Hosts (or host:port) a model token may go to although they are loopback, private, link-local
     * or plain http: a gateway on the local network, a test stub. Comma separated; none by default.
     */
    CONSOLE_PRIVATE_ENDPOINTS: optional(
      z.string().transform((value, context) => {
        const parsed = parsePrivateEndpoints(value);
        if (!parsed.ok) context.addIssue({ code: "custom", message: parsed.problem });
        return parsed.ok ? parsed.endpoints : NO_PRIVATE_ENDPOINTS;
      }),
    ).transform((value) => value ?? NO_PRIVATE_ENDPOINTS),
    /** Signs and encrypts the session cookies. Generated into the data dir when unset (embedded only). */
    AUTH_SECRET: optional(
      z
        .string()
        .min(32, "must be at least 32 characters. Make one with: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64url'))\""),
    ),
    /** How much the console logs (pino levels); debug adds a line per runner and boundary event, never a secret. */
    CONSOLE_LOG_LEVEL: optional(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])).transform((value) => value ?? "info"),
    /** Turns on GET /metrics (Prometheus), which then asks for `Authorization: Bearer <this token>`. Unset: /metrics is 404. */
    CONSOLE_METRICS_TOKEN: optional(z.string().min(16, "must be at least 16 characters, so it cannot be guessed")),
    /** How long a run may go without word from its runner before the sweep retries it (once) or ends it with session.error. */
    CONSOLE_RUN_LEASE_SECONDS: optional(z.coerce.number().int().min(RUN_LEASE_MIN_SECONDS).max(3600)).transform((value) => value ?? RUN_LEASE_DEFAULT_SECONDS),
    /**
     * How long a runner that answered every message stays up for the session's next one (the Claude
     * Code CLI with it, so that turn starts at once); 0: a runner ends with its turn.
     */
    CONSOLE_RUNNER_REST_SECONDS: optional(z.coerce.number().int().min(0).max(3600)).transform((value) => value ?? RUNNER_REST_DEFAULT_SECONDS),
    /** On SIGTERM, how long requests in flight (model streams included) may take to finish before they are cut. */
    CONSOLE_SHUTDOWN_GRACE_SECONDS: optional(z.coerce.number().int().min(0).max(3600)).transform((value) => value ?? 30),
    /**
     * Reverse proxies whose X-Forwarded-For (and X-Forwarded-Proto/Host) are believed: a comma list
     * of addresses and CIDR ranges. Unset: the client is the socket's peer and forwarded headers are dropped.
     */
    CONSOLE_TRUSTED_PROXIES: optional(
      z
        .string()
        .transform((value) =>
          value
            .split(",")
            .map((entry) => entry.trim())
            .filter((entry) => entry.length > 0),
        )
        .superRefine((entries, context) => {
          for (const entry of entries) {
            const problem = checkTrustedProxyEntry(entry);
            if (problem) context.addIssue({ code: "custom", message: `${problem} (expected a comma list like 10.0.0.0/8,::1)` });
          }
        }),
    ).transform((value) => value ?? []),
  })
  .superRefine((env, context) => {
    if ((env.ADMIN_EMAIL === undefined) !== (env.ADMIN_PASSWORD === undefined)) {
      const missing = env.ADMIN_EMAIL === undefined ? "ADMIN_EMAIL" : "ADMIN_PASSWORD";
      context.addIssue({ code: "custom", path: [missing], message: "ADMIN_EMAIL and ADMIN_PASSWORD go together: set both or neither" });
    }
    const taken = { PORT: env.PORT, CONSOLE_EGRESS_PORT: env.CONSOLE_EGRESS_PORT };
    const sharing = Object.entries(taken).find(([, port]) => port !== 0 && port === env.CONSOLE_BOUNDARY_PORT);
    if (sharing) {
      context.addIssue({ code: "custom", path: ["CONSOLE_BOUNDARY_PORT"], message: `is ${sharing[0]}'s port too: give the boundary a port of its own, or 0` });
    }
  });

export type ConsoleEnv = z.infer<typeof envSchema>;

export class ConfigError extends Error {}

/** Reads and checks the environment once at boot; a bad value stops the server with a fix. */
export function loadEnv(source: Record<string, string | undefined> = process.env): ConsoleEnv {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}

let current: ConsoleEnv | undefined;

/**
 * This process's settings, parsed from process.env at first use. Plain values, so Next's own copy
 * of this module parses the same environment to the same result the custom server checked before
 * it served (a bad value stopped it there). Whoever boots on settings of their own (tests, tools)
 * hands them in through lib/boot.ts, which calls installSettings.
 */
export function settings(): ConsoleEnv {
  current ??= loadEnv();
  return current;
}

export function installSettings(env: ConsoleEnv): void {
  current = env;
}
