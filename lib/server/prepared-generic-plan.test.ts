import { describe, expect, it } from "vitest";
import { db, preparedQuery } from "@/lib/instances";
import type { PreparedStatement } from "@/lib/open-database";
import { setUpEmbeddedConsole } from "@/lib/server/testing/embedded-console";

// A statement marked genericPlan runs on the embedded database with the plan made once for any
// values, and leaves the one session's planning as it found it for everything else, failed or not.
// On either plan, the rows come back named and typed as the driver parses them.
const embedded = setUpEmbeddedConsole("prepared-generic-plan");

const NAMES: PreparedStatement = {
  name: "generic_plan_probe_names",
  genericPlan: true,
  text: "SELECT display_name FROM vaults WHERE display_name LIKE $1 ORDER BY display_name LIMIT $2::int",
};
const FAILING: PreparedStatement = {
  name: "generic_plan_probe_failing",
  genericPlan: true,
  text: "SELECT 1 / $1::int AS quotient",
};

const TYPED: PreparedStatement = {
  name: "prepared_probe_typed",
  text: `SELECT $1::text AS name, TIMESTAMPTZ '2026-12-04 12:00:00.123+00' AS at, TRUE AS yes, NULL::text AS nothing,
                '{"team":"a","n":[1,2]}'::jsonb AS document, '\\x0001ff'::bytea AS bytes, 42::int AS count`,
};

async function planCounts(name: string): Promise<{ generic: bigint; custom: bigint }> {
  const [row] = await db().$queryRawUnsafe<{ generic: bigint; custom: bigint }[]>(
    "SELECT generic_plans AS generic, custom_plans AS custom FROM pg_prepared_statements WHERE name = $1",
    name,
  );
  if (!row) throw new Error(`${name} is not prepared`);
  return row;
}

async function planCacheMode(): Promise<string> {
  const [row] = await db().$queryRawUnsafe<{ mode: string }[]>("SELECT current_setting('plan_cache_mode') AS mode");
  return row?.mode ?? "";
}

describe("a prepared statement with genericPlan on the embedded database", () => {
  it("answers from the generic plan on every call and restores the session's plan_cache_mode", { timeout: 120_000 }, async () => {
    await embedded.boot();
    await db().vault.createMany({ data: ["alpha", "beta", "gamma", "alps"].map((name) => ({ id: `vlt_${name}`, displayName: name })) });

    for (let call = 0; call < 7; call++) {
      expect(await preparedQuery()<{ display_name: string }>(NAMES, ["al%", "5"])).toEqual([{ display_name: "alpha" }, { display_name: "alps" }]);
    }
    expect(await preparedQuery()<{ display_name: string }>(NAMES, ["%a", "1"])).toEqual([{ display_name: "alpha" }]);
    // Without the flag PostgreSQL plans at least the first five calls for their values (the vault
    // list, every call: its generic plan is costed for an unknown limit).
    expect(await planCounts(NAMES.name)).toEqual({ generic: 8n, custom: 0n });
    expect(await planCacheMode()).toBe("auto");

    await expect(preparedQuery()(FAILING, ["0"])).rejects.toThrow(/division by zero/);
    expect(await planCacheMode()).toBe("auto");
    expect(await preparedQuery()<{ quotient: number }>(FAILING, ["1"])).toEqual([{ quotient: 1 }]);
    expect(await planCacheMode()).toBe("auto");
  });

  it("names every column of every row and parses each by its type, on either plan", { timeout: 120_000 }, async () => {
    await embedded.boot();
    const expected = {
      name: "probe",
      at: new Date("2026-12-04T12:00:00.123Z"),
      yes: true,
      nothing: null,
      document: { team: "a", n: [1, 2] },
      bytes: new Uint8Array([0, 1, 255]),
      count: 42,
    };
    expect(await preparedQuery()(TYPED, ["probe"])).toEqual([expected]);
    expect(await preparedQuery()({ ...TYPED, name: "prepared_probe_typed_generic", genericPlan: true }, ["probe"])).toEqual([expected]);
    expect(await preparedQuery()(NAMES, ["nothing such%", "5"])).toEqual([]);
  });
});
