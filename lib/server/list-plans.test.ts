// The lists' query plans on PGlite, and on PostgreSQL when DATABASE_URL names a server, on a database
// of the test's own made there (`npx tsx scripts/postgres.ts run -- npx vitest run --config scripts/vitest.config.ts --project
// unit lib/server/list-plans.test.ts` gives it a throw-away cluster), without statistics and with
// them: each list is
// served by an index scan in keyset order, never by reading the matching rows and sorting them.
// A fresh table (or one that grew since its last ANALYZE) has no statistics, and that is exactly
// when a list's plan used to turn into "fetch every row, sort, keep 21" (issue 14). The statements
// are the ones the services send, recorded through Prisma's query events.
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { authSecret, boundaryLookup, changeNotices, db, keyring, preparedQuery, shareInstances } from "@/lib/instances";
import { listAgents } from "@/lib/server/agents";
import { AUDIT_DIRECTORY, auditFacets, listAuditEvents } from "@/lib/server/audit-log";
import { SYSTEM_CONTEXT } from "@/lib/server/audit";
import { listCredentials } from "@/lib/server/credentials";
import { createAgent } from "@/lib/server/agents";
import { createEnvironment, listEnvironments } from "@/lib/server/environments";
import { vaultListQuery } from "@/lib/server/vault-list";
import { archiveVault, listVaults, vaultListShape } from "@/lib/server/vaults";
import { createSession, listSessions } from "@/lib/server/sessions";
import { setUpEmbeddedConsole } from "@/lib/server/testing/embedded-console";
import { agentCreateSchema } from "@/lib/validation/agents";
import { environmentCreateSchema } from "@/lib/validation/environments";
import { sessionCreateSchema } from "@/lib/validation/sessions";

const ROWS = 10_000;
const embedded = setUpEmbeddedConsole("list-plans");

interface RecordedQuery {
  query: string;
  params: string;
}

/** Swaps the shared Prisma client for one on the same connection that records every statement. */
function recordStatements(): { statements: RecordedQuery[]; client: PrismaClient } {
  const booted = embedded.booted;
  if (!booted) throw new Error("not booted");
  const client = new PrismaClient({ adapter: booted.database.adapterFactory, log: [{ emit: "event", level: "query" }] });
  const statements: RecordedQuery[] = [];
  client.$on("query", (event) => statements.push({ query: event.query, params: event.params }));
  shareInstances({
    prisma: client,
    preparedQuery: preparedQuery(),
    boundaryLookup: boundaryLookup(),
    keyring: keyring(),
    changeNotices: changeNotices(),
    authSecret: authSecret(),
  });
  return { statements, client };
}

function literal(value: unknown): string {
  if (value === null) return "NULL";
  if (typeof value === "boolean" || typeof value === "number") return String(value);
  return pg.escapeLiteral(String(value));
}

/** The plan of a recorded statement, its parameters written in as literals (as a custom plan sees them). */
async function planOf(statement: RecordedQuery): Promise<string> {
  const params = JSON.parse(statement.params) as unknown[];
  const sql = statement.query.replace(/\$(\d+)/g, (_, index: string) => literal(params[Number(index) - 1]));
  const rows = await db().$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${sql}`);
  return rows.map((row) => row["QUERY PLAN"]).join("\n");
}

/** Runs a list through its service and returns the plan of its one ordered statement. */
async function listPlan(statements: RecordedQuery[], table: string, list: () => Promise<unknown>): Promise<string> {
  statements.length = 0;
  await list();
  const ordered = statements.filter((statement) => statement.query.includes(`"${table}"`) && statement.query.includes("ORDER BY"));
  expect(ordered, `one ordered statement on ${table}`).toHaveLength(1);
  return planOf(ordered[0] as RecordedQuery);
}

/**
 * The plans of the vault list's prepared statement: the custom plan of its first executions and the
 * generic plan PostgreSQL may settle on after five, which knows none of the values.
 */
async function vaultListPlans(...args: Parameters<typeof vaultListShape>): Promise<{ custom: string; generic: string }> {
  const { statement, values } = vaultListQuery(vaultListShape(...args), args[0].limit + 1);
  const custom = await planOf({ query: statement.text, params: JSON.stringify(values) });
  const generic = await db().$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL plan_cache_mode = force_generic_plan");
    await tx.$executeRawUnsafe(`PREPARE vault_list_probe AS ${statement.text}`);
    const rows = await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN EXECUTE vault_list_probe(${values.map(literal).join(", ")})`);
    await tx.$executeRawUnsafe("DEALLOCATE vault_list_probe");
    return rows.map((row) => row["QUERY PLAN"]).join("\n");
  });
  return { custom, generic };
}

async function seed(): Promise<{ vaultId: string }> {
  const agent = await createAgent(agentCreateSchema.parse({ name: "agent", model: "claude-sonnet-4-6" }), SYSTEM_CONTEXT);
  const environment = await createEnvironment(
    environmentCreateSchema.parse({ name: "env", config: { type: "cloud", networking: { type: "unrestricted" } } }),
    SYSTEM_CONTEXT,
  );
  await createSession(sessionCreateSchema.parse({ agent: agent.id, environment_id: environment.id }), SYSTEM_CONTEXT);
  // Bulk rows, three per millisecond, every tenth one archived (through the archived_at column only).
  const spread = (g: string) => `now() - (${g} || ' ms')::interval / 3`;
  await db().$executeRawUnsafe(`
    INSERT INTO vaults (id, display_name, metadata, created_at, updated_at, archived_at)
    SELECT 'vlt_plan' || g, 'Vault ' || g, '{}'::jsonb, ${spread("g")}, now(), CASE WHEN g % 10 = 0 THEN now() END
    FROM generate_series(1, ${ROWS}) g`);
  await db().$executeRawUnsafe(`
    INSERT INTO vault_credentials (id, vault_id, auth_type, auth_public, created_at, updated_at)
    SELECT 'vcrd_plan' || g, 'vlt_plan' || (1 + g % 500), 'static_bearer', '{}'::jsonb, ${spread("g")}, now()
    FROM generate_series(1, ${ROWS}) g`);
  await db().$executeRawUnsafe(`
    INSERT INTO sessions (id, title, metadata, status, agent_id, agent_version, agent_snapshot, environment_id, created_at, updated_at)
    SELECT 'sesn_plan' || g, NULL, '{}'::jsonb, 'idle', s.agent_id, s.agent_version, s.agent_snapshot, s.environment_id, ${spread("g")}, now()
    FROM generate_series(1, ${ROWS}) g, (SELECT * FROM sessions LIMIT 1) s`);
  await db().$executeRawUnsafe(`
    INSERT INTO agents (id, name, model, created_at, updated_at)
    SELECT 'agent_plan' || g, 'Agent ' || g, '{"id":"claude-sonnet-4-6"}'::jsonb, ${spread("g")}, now()
    FROM generate_series(1, ${ROWS}) g`);
  await db().$executeRawUnsafe(`
    INSERT INTO environments (id, name, config, created_at, updated_at)
    SELECT 'env_plan' || g, 'Environment ' || g, '{"type":"cloud"}'::jsonb, ${spread("g")}, now()
    FROM generate_series(1, ${ROWS}) g`);
  await db().$executeRawUnsafe(`
    INSERT INTO audit_events (id, occurred_at, actor_type, action, resource_type, resource_id)
    SELECT 'aud_plan' || g, ${spread("g")}, 'system', 'vault.create', 'vault', 'vlt_plan' || g
    FROM generate_series(1, ${ROWS}) g`);
  return { vaultId: "vlt_plan1" };
}

afterEach(async () => {
  // The recording client shares the embedded connection; the boot's own client closes it.
  shareInstances(undefined);
});

const postgresUrl = process.env.DATABASE_URL;

describe.each(["PGlite", "PostgreSQL"] as const)("list plans on %s", (database) => {
  it.skipIf(database === "PostgreSQL" && !postgresUrl)(
    "serve every list by an index scan in keyset order, without statistics and with them",
    { timeout: 300_000 },
    async () => {
      const booted = await (database === "PostgreSQL" && postgresUrl ? embedded.bootOnPostgres(postgresUrl) : embedded.boot());
      expect(booted.database.kind).toBe(database === "PGlite" ? "pglite" : "postgresql");
      // The background maintenance (PGlite) or autovacuum (PostgreSQL) would ANALYZE the bulk rows;
      // this test decides when statistics exist.
      await booted.maintenance?.stop();
      if (database === "PostgreSQL") {
        for (const table of ["vaults", "vault_credentials", "sessions", "agents", "environments", "audit_events"]) {
          await db().$executeRawUnsafe(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`);
        }
      }
      const { vaultId } = await seed();
      const { statements, client } = recordStatements();
      const options = (limit: number, page?: string) => ({ limit, page, includeArchived: false });

      const plans = async () => {
        const vaultsPage1 = await listVaults(options(20));
        const deeper = await listVaults(options(20, vaultsPage1.nextPage ?? undefined));
        const sessionsPage1 = await listSessions({});
        const auditPage1 = await listAuditEvents({}, { limit: 50 });
        const vaultPlans = {
          "vaults page 1": await vaultListPlans(options(20)),
          "vaults page 1, limit 100": await vaultListPlans(options(100)),
          "vaults page 2": await vaultListPlans(options(20, vaultsPage1.nextPage ?? undefined)),
          "vaults page 3": await vaultListPlans(options(20, deeper.nextPage ?? undefined)),
          "vaults with archived": await vaultListPlans({ limit: 20, includeArchived: true }),
        };
        return {
          ...Object.fromEntries(
            Object.entries(vaultPlans).flatMap(([list, { custom, generic }]) => [
              [list, custom],
              [`${list} (generic plan)`, generic],
            ]),
          ),
          credentials: await listPlan(statements, "vault_credentials", () => listCredentials(vaultId, options(20))),
          "sessions page 1": await listPlan(statements, "sessions", () => listSessions({})),
          "sessions page 2": await listPlan(statements, "sessions", () => listSessions({ page: sessionsPage1.nextPage ?? undefined })),
          "sessions oldest first": await listPlan(statements, "sessions", () => listSessions({ order: "asc" })),
          agents: await listPlan(statements, "agents", () => listAgents(options(20))),
          environments: await listPlan(statements, "environments", () => listEnvironments(options(20))),
          "audit log page 1": await listPlan(statements, "audit_events", () => listAuditEvents({}, { limit: 50 })),
          "audit log page 2": await listPlan(statements, "audit_events", () => listAuditEvents({}, { limit: 50, page: auditPage1.nextPage ?? undefined })),
        };
      };
      // A filter by value (an action, an actor) is guessed to match 0.5 % of the rows until the
      // table has statistics, which the maintenance gives it within seconds of the writes.
      const filteredPlans = async () => ({
        "audit log by action": await listPlan(statements, "audit_events", () => listAuditEvents({ action: "vault.create" }, { limit: 50 })),
        "audit log by actor": await listPlan(statements, "audit_events", () => listAuditEvents({ actor: "system" }, { limit: 50 })),
      });

      try {
        for (const statistics of ["none", "fresh"] as const) {
          if (statistics === "fresh") await db().$executeRawUnsafe("ANALYZE");
          const { credentials, ...lists } = { ...(await plans()), ...(statistics === "fresh" ? await filteredPlans() : {}) };
          for (const [list, plan] of Object.entries(lists)) {
            const context = `${list}, statistics ${statistics}:\n${plan}`;
            expect(plan, context).toMatch(/Index (Only )?Scan/);
            expect(plan, context).not.toMatch(/\bSort\b|Bitmap|Seq Scan/);
          }
          // One vault's credentials (at most 20 active, a cap of the service) may be fetched by their
          // vault and sorted, as the planner likes for a handful of rows; never the table's rows.
          expect(credentials, `credentials, statistics ${statistics}:\n${credentials}`).toMatch(/Index Cond: \(\(?vault_id = 'vlt_plan1'::text\)/);
          expect(credentials, `credentials, statistics ${statistics}:\n${credentials}`).not.toMatch(/Seq Scan/);
        }
        // The audit page's filter pickers: every distinct value, by probing the index once per value
        // (one prepared statement with the actor picker's users and keys, which may be read whole).
        const facets = await auditFacets();
        const expected = async (column: string) =>
          (await db().$queryRawUnsafe<{ value: string }[]>(`SELECT DISTINCT ${column} AS value FROM audit_events ORDER BY 1`)).map((row) => row.value);
        expect(facets).toEqual({ actions: await expected("action"), resourceTypes: await expected("resource_type") });
        expect(facets.actions).toContain("vault.create");
        const directoryPlan = await planOf({ query: AUDIT_DIRECTORY.text, params: "[]" });
        expect(directoryPlan).toMatch(/Index Only Scan .* on audit_events/);
        expect(directoryPlan).not.toMatch(/Seq Scan on audit_events/);

        // What lists filter on follows archived_at, through the trigger, whoever writes the row.
        const mismatched = await db().$queryRawUnsafe<{ count: bigint }[]>("SELECT count(*) AS count FROM vaults WHERE active <> (archived_at IS NULL)");
        expect(mismatched[0]?.count).toBe(0n);
        const archived = await archiveVault("vlt_plan1", SYSTEM_CONTEXT);
        expect(archived.active).toBe(false);
        expect((await listVaults(options(100))).items.map((vault) => vault.id)).not.toContain("vlt_plan1");
        expect((await listVaults(options(100))).items.some((vault) => vault.archivedAt !== null)).toBe(false);
      } finally {
        await client.$disconnect();
      }
    },
  );
});
