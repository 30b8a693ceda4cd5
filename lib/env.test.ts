import { randomBytes } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_API_RATE_LIMIT_PER_MINUTE, loadEnv } from "@/lib/env";

const MASTER_KEY = randomBytes(32).toString("base64");
const BOOTSTRAP_KEY = `s0_${randomBytes(32).toString("base64url")}`;

function configError(source: Record<string, string>): ConfigError {
  try {
    loadEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected ${JSON.stringify(Object.keys(source))} to be rejected`);
}

describe("loadEnv", () => {
  it("fills in the defaults", () => {
    const env = loadEnv({});
    expect(env.HOST).toBe("127.0.0.1");
    expect(env.PORT).toBe(3000);
    expect(env.CONSOLE_DATA_DIR).toBe(path.resolve(".data"));
    expect(path.isAbsolute(env.CONSOLE_DATA_DIR)).toBe(true);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.CONSOLE_MASTER_KEY).toBeUndefined();
    expect(env.CONSOLE_BOOTSTRAP_API_KEY).toBeUndefined();
    expect(env.CONSOLE_API_RATE_LIMIT_PER_MINUTE).toBe(DEFAULT_API_RATE_LIMIT_PER_MINUTE);
  });

  it("treats empty strings as unset", () => {
    const env = loadEnv({
      HOST: "",
      PORT: "",
      DATABASE_URL: "",
      CONSOLE_DATA_DIR: "",
      CONSOLE_MASTER_KEY: "",
      CONSOLE_BOOTSTRAP_API_KEY: "",
      CONSOLE_API_RATE_LIMIT_PER_MINUTE: "",
    });
    expect(env).toEqual(loadEnv({}));
  });

  it("reads the values it is given", () => {
    const env = loadEnv({
      HOST: "0.0.0.0",
      PORT: "8080",
      DATABASE_URL: "postgresql://console@db.internal:5432/console",
      CONSOLE_DATA_DIR: "relative/data",
      CONSOLE_MASTER_KEY: MASTER_KEY,
      CONSOLE_BOOTSTRAP_API_KEY: BOOTSTRAP_KEY,
      CONSOLE_API_RATE_LIMIT_PER_MINUTE: "120",
      CONSOLE_PRIVATE_ENDPOINTS: "127.0.0.1, Gateway.Internal:8443",
      CONSOLE_EGRESS_PORT: "8128",
      CONSOLE_BOUNDARY_PORT: "8129",
    });
    expect(env).toEqual({
      HOST: "0.0.0.0",
      PORT: 8080,
      DATABASE_URL: "postgresql://console@db.internal:5432/console",
      CONSOLE_DATA_DIR: path.resolve("relative/data"),
      CONSOLE_MASTER_KEY: MASTER_KEY,
      CONSOLE_MASTER_KEY_ACCEPTED: [],
      CONSOLE_MASTER_KEY_PREVIOUS: [],
      CONSOLE_BOOTSTRAP_API_KEY: BOOTSTRAP_KEY,
      CONSOLE_API_RATE_LIMIT_PER_MINUTE: 120,
      CONSOLE_PRIVATE_ENDPOINTS: new Set(["127.0.0.1", "gateway.internal:8443"]),
      CONSOLE_TRUSTED_PROXIES: [],
      CONSOLE_EGRESS_PORT: 8128,
      CONSOLE_BOUNDARY_PORT: 8129,
      CONSOLE_RUNNERS: 4,
      CONSOLE_RUNNER_REST_SECONDS: 60,
      CONSOLE_LOG_LEVEL: "info",
      CONSOLE_RUN_LEASE_SECONDS: 60,
      CONSOLE_SHUTDOWN_GRACE_SECONDS: 30,
    });
  });

  it("works 2 runs at once in the console unless told otherwise, 0 meaning none, and refuses a count that is not one", () => {
    expect(loadEnv({}).CONSOLE_RUNNERS).toBe(4);
    expect(loadEnv({ CONSOLE_RUNNERS: "0" }).CONSOLE_RUNNERS).toBe(0);
    expect(loadEnv({ CONSOLE_RUNNERS: "5" }).CONSOLE_RUNNERS).toBe(5);
    for (const bad of ["-1", "two", "1.5", "65"]) expect(configError({ CONSOLE_RUNNERS: bad }).message).toMatch(/CONSOLE_RUNNERS/);
    expect(loadEnv({ CONSOLE_RUNNER_DIR: "work/runs" }).CONSOLE_RUNNER_DIR).toBe(path.resolve("work/runs"));
    expect(loadEnv({}).CONSOLE_RUNNER_POOL).toBeUndefined();
    expect(loadEnv({ CONSOLE_RUNNER_POOL: "0" }).CONSOLE_RUNNER_POOL).toBe(0);
    expect(configError({ CONSOLE_RUNNER_POOL: "many" }).message).toMatch(/CONSOLE_RUNNER_POOL/);
    expect(loadEnv({ CONSOLE_RUNNER_REST_SECONDS: "0" }).CONSOLE_RUNNER_REST_SECONDS).toBe(0);
    expect(loadEnv({ CONSOLE_RUNNER_REST_SECONDS: "300" }).CONSOLE_RUNNER_REST_SECONDS).toBe(300);
    for (const bad of ["-1", "a minute", "1.5", "3601"])
      expect(configError({ CONSOLE_RUNNER_REST_SECONDS: bad }).message).toMatch(/CONSOLE_RUNNER_REST_SECONDS/);
  });

  it("keeps a silent runner's run for 60 s unless told otherwise, never less than the inbox's long poll and its margin", () => {
    expect(loadEnv({}).CONSOLE_RUN_LEASE_SECONDS).toBe(60);
    expect(loadEnv({ CONSOLE_RUN_LEASE_SECONDS: "30" }).CONSOLE_RUN_LEASE_SECONDS).toBe(30);
    expect(configError({ CONSOLE_RUN_LEASE_SECONDS: "29" }).message).toMatch(/CONSOLE_RUN_LEASE_SECONDS: .*30/);
    for (const bad of ["soon", "45.5", "3601"]) expect(configError({ CONSOLE_RUN_LEASE_SECONDS: bad }).message).toMatch(/CONSOLE_RUN_LEASE_SECONDS/);
  });

  it("reads the operations settings, refusing a level it does not know and a guessable metrics token", () => {
    expect(loadEnv({ CONSOLE_LOG_LEVEL: "debug", CONSOLE_METRICS_TOKEN: "m".repeat(16), CONSOLE_SHUTDOWN_GRACE_SECONDS: "5" })).toMatchObject({
      CONSOLE_LOG_LEVEL: "debug",
      CONSOLE_METRICS_TOKEN: "m".repeat(16),
      CONSOLE_SHUTDOWN_GRACE_SECONDS: 5,
    });
    expect(loadEnv({}).CONSOLE_METRICS_TOKEN).toBeUndefined();
    expect(configError({ CONSOLE_LOG_LEVEL: "verbose" }).message).toMatch(/CONSOLE_LOG_LEVEL/);
    expect(configError({ CONSOLE_METRICS_TOKEN: "short" }).message).toMatch(/CONSOLE_METRICS_TOKEN: must be at least 16 characters/);
    expect(configError({ CONSOLE_SHUTDOWN_GRACE_SECONDS: "-1" }).message).toMatch(/CONSOLE_SHUTDOWN_GRACE_SECONDS/);
  });

  it("runs the egress proxy on 3128 unless told otherwise, 0 turning it off, and refuses a port that is not one", () => {
    expect(loadEnv({}).CONSOLE_EGRESS_PORT).toBe(3128);
    expect(loadEnv({ CONSOLE_EGRESS_PORT: "0" }).CONSOLE_EGRESS_PORT).toBe(0);
    for (const bad of ["65536", "-1", "proxy", "3128.5"]) expect(configError({ CONSOLE_EGRESS_PORT: bad }).message).toMatch(/CONSOLE_EGRESS_PORT/);
  });

  it("serves the boundary on the console's port alone unless given a port of its own, which no other listener may have", () => {
    expect(loadEnv({}).CONSOLE_BOUNDARY_PORT).toBe(0);
    expect(loadEnv({ CONSOLE_BOUNDARY_PORT: "3129" }).CONSOLE_BOUNDARY_PORT).toBe(3129);
    for (const bad of ["65536", "-1", "door", "3129.5"]) expect(configError({ CONSOLE_BOUNDARY_PORT: bad }).message).toMatch(/CONSOLE_BOUNDARY_PORT/);
    expect(configError({ CONSOLE_BOUNDARY_PORT: "3000" }).message).toMatch(/CONSOLE_BOUNDARY_PORT: is PORT's port too/);
    expect(configError({ CONSOLE_BOUNDARY_PORT: "3128" }).message).toMatch(/CONSOLE_BOUNDARY_PORT: is CONSOLE_EGRESS_PORT's port too/);
    expect(loadEnv({ CONSOLE_BOUNDARY_PORT: "3128", CONSOLE_EGRESS_PORT: "0" }).CONSOLE_BOUNDARY_PORT).toBe(3128);
  });

  it("takes the boundary's URL as an origin alone, and names what else it was given", () => {
    expect(loadEnv({}).CONSOLE_BOUNDARY_URL).toBeUndefined();
    expect(loadEnv({ CONSOLE_BOUNDARY_URL: "https://Boundary.Example.com/" }).CONSOLE_BOUNDARY_URL).toBe("https://boundary.example.com");
    expect(loadEnv({ CONSOLE_BOUNDARY_URL: "http://10.0.0.5:3129" }).CONSOLE_BOUNDARY_URL).toBe("http://10.0.0.5:3129");
    for (const bad of ["https://boundary.example.com/boundary", "https://boundary.example.com/?a=1", "https://user:pw@boundary.example.com"]) {
      expect(configError({ CONSOLE_BOUNDARY_URL: bad }).message).toMatch(/CONSOLE_BOUNDARY_URL: must be an origin alone/);
    }
    for (const bad of ["ftp://boundary.example.com", "boundary.example.com"]) {
      expect(configError({ CONSOLE_BOUNDARY_URL: bad }).message).toMatch(/CONSOLE_BOUNDARY_URL: must be an http\(s\) URL/);
    }
  });

  it("allows no private endpoint by default, and refuses an entry that is not host[:port]", () => {
    expect(loadEnv({}).CONSOLE_PRIVATE_ENDPOINTS.size).toBe(0);
    expect(configError({ CONSOLE_PRIVATE_ENDPOINTS: "127.0.0.1,http://10.0.0.1/" }).message).toMatch(
      /CONSOLE_PRIVATE_ENDPOINTS: "http:\/\/10\.0\.0\.1\/" is not a host or host:port/,
    );
  });

  it("takes 0 as no rate limit", () => {
    expect(loadEnv({ CONSOLE_API_RATE_LIMIT_PER_MINUTE: "0" }).CONSOLE_API_RATE_LIMIT_PER_MINUTE).toBe(0);
  });

  it.each(["-1", "1.5", "1e3", " 60", "sixty", "1000000001"])("rejects CONSOLE_API_RATE_LIMIT_PER_MINUTE=%j", (limit) => {
    expect(configError({ CONSOLE_API_RATE_LIMIT_PER_MINUTE: limit }).message).toMatch(
      /CONSOLE_API_RATE_LIMIT_PER_MINUTE: must be (a whole number of requests per minute \(0 turns the limit off\)|at most 1000000000)/,
    );
  });

  it("keeps an absolute data directory as it is", () => {
    expect(loadEnv({ CONSOLE_DATA_DIR: "/var/lib/console" }).CONSOLE_DATA_DIR).toBe("/var/lib/console");
  });

  it("ignores variables it does not know", () => {
    expect(loadEnv({ PATH: "/usr/bin", NODE_ENV: "test" })).toEqual(loadEnv({}));
  });

  it.each([
    ["16 bytes", randomBytes(16).toString("base64")],
    ["33 bytes", randomBytes(33).toString("base64")],
    ["hex instead of base64", randomBytes(32).toString("hex")],
    ["base64url characters", "_".repeat(43) + "="],
    ["a passphrase", "correct horse battery staple"],
  ])("rejects a master key of %s, naming the variable and how to make one", (_label, value) => {
    const { message } = configError({ CONSOLE_MASTER_KEY: value });
    expect(message).toContain("CONSOLE_MASTER_KEY");
    expect(message).toContain("randomBytes(32)");
    expect(message).not.toContain(value);
  });

  it.each([
    ["no prefix", randomBytes(32).toString("base64url")],
    ["too short", "s0_short"],
    ["a non-URL-safe character", `s0_${"a".repeat(32)}+`],
  ])("rejects a bootstrap key with %s, naming the variable", (_label, value) => {
    const { message } = configError({ CONSOLE_BOOTSTRAP_API_KEY: value });
    expect(message).toContain("CONSOLE_BOOTSTRAP_API_KEY");
    expect(message).not.toContain(value);
  });

  it.each(["0", "65536", "http", "80.5"])("rejects PORT=%j", (port) => {
    expect(configError({ PORT: port }).message).toContain("PORT");
  });

  it.each(["mysql://db/console", "db.internal:5432", "file:./dev.db"])("rejects DATABASE_URL=%j", (url) => {
    expect(configError({ DATABASE_URL: url }).message).toContain("DATABASE_URL");
  });

  it("lists every bad variable at once", () => {
    const { message } = configError({ PORT: "0", CONSOLE_MASTER_KEY: "short" });
    expect(message).toContain("PORT");
    expect(message).toContain("CONSOLE_MASTER_KEY");
  });
});

describe("loadEnv: the first admin", () => {
  it("lowercases the admin email and takes the password as given", () => {
    const env = loadEnv({ ADMIN_EMAIL: " Owner@Example.COM ", ADMIN_PASSWORD: "a long enough password" });
    expect(env.ADMIN_EMAIL).toBe("owner@example.com");
    expect(env.ADMIN_PASSWORD).toBe("a long enough password");
  });

  it("wants both or neither", () => {
    expect(configError({ ADMIN_EMAIL: "owner@example.com" }).message).toContain("ADMIN_PASSWORD");
    expect(configError({ ADMIN_PASSWORD: "a long enough password" }).message).toContain("ADMIN_EMAIL");
  });

  it("refuses a short password and a short AUTH_SECRET without echoing them", () => {
    const error = configError({ ADMIN_EMAIL: "owner@example.com", ADMIN_PASSWORD: "short", AUTH_SECRET: "tiny" });
    expect(error.message).toContain("ADMIN_PASSWORD: must be at least");
    expect(error.message).toContain("AUTH_SECRET: must be at least 32");
    expect(error.message).not.toContain("short\n");
    expect(error.message).not.toContain("tiny");
  });
});

describe("loadEnv: accepted master keys", () => {
  it("reads CONSOLE_MASTER_KEY_ACCEPTED and its former name as comma lists", () => {
    const other = randomBytes(32).toString("base64");
    const env = loadEnv({ CONSOLE_MASTER_KEY_ACCEPTED: ` ${MASTER_KEY}, ${other} ,`, CONSOLE_MASTER_KEY_PREVIOUS: other });
    expect(env.CONSOLE_MASTER_KEY_ACCEPTED).toEqual([MASTER_KEY, other]);
    expect(env.CONSOLE_MASTER_KEY_PREVIOUS).toEqual([other]);
  });

  it("refuses an accepted key that is not 32 base64 bytes, naming the variable and not echoing it", () => {
    const error = configError({ CONSOLE_MASTER_KEY_ACCEPTED: `${MASTER_KEY},notakeyCANARY` });
    expect(error.message).toContain("CONSOLE_MASTER_KEY_ACCEPTED");
    expect(error.message).toContain("32 random bytes");
    expect(error.message).not.toContain("notakeyCANARY");
  });
});

describe("CONSOLE_TRUSTED_PROXIES", () => {
  it("is off by default and takes a comma list of addresses and ranges", () => {
    expect(loadEnv({}).CONSOLE_TRUSTED_PROXIES).toEqual([]);
    expect(loadEnv({ CONSOLE_TRUSTED_PROXIES: " 10.0.0.0/8, ::1 ,127.0.0.1," }).CONSOLE_TRUSTED_PROXIES).toEqual(["10.0.0.0/8", "::1", "127.0.0.1"]);
  });

  it("stops the boot on an entry that is not one, naming it", () => {
    const error = configError({ CONSOLE_TRUSTED_PROXIES: "10.0.0.0/8,proxy.internal" });
    expect(error.message).toContain("CONSOLE_TRUSTED_PROXIES");
    expect(error.message).toContain('"proxy.internal" is not an IP address or CIDR range');
    expect(configError({ CONSOLE_TRUSTED_PROXIES: "10.0.0.0/40" }).message).toContain("prefix length must be 0–32");
  });
});
