// Seeds the benchmark's vaults. Going through createVault 10,000 times costs one interactive
// transaction each (minutes on PGlite), so the first vault is created by the service and every
// other one is a bulk-inserted copy of the rows the service wrote for it — the vault row and its
// audit entry, every column copied except the id, name, metadata, timestamps and sequence. A column
// the service starts setting later is therefore copied too, instead of silently left at its default.
//
// Runs as a child of bench/run.ts with the react-server condition (lib/server imports
// "server-only"), owns the database while it runs, and closes it before exiting so the server can
// open it next.
//
// With --analyze it runs ANALYZE afterwards, as PostgreSQL's autovacuum would within a minute of
// such an insert (the embedded console's own maintenance does it once the server runs; the seeder
// runs none). It reports the plan of the page-1 list query without statistics and, with
// --analyze, with them: the lists' plans are meant not to depend on them.
//
//   node --conditions=react-server --import tsx bench/seed.ts <count> <ids-file> [--analyze]
import "@/lib/debug-guard";
import { writeFile } from "node:fs/promises";
import pg from "pg";
import { performance } from "node:perf_hooks";
import { bootConsole } from "@/lib/boot";
import { db } from "@/lib/instances";
import { loadEnv } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { SYSTEM_CONTEXT } from "@/lib/server/audit";
import { transaction } from "@/lib/server/transaction";
import { vaultListQuery } from "@/lib/server/vault-list";
import { createVault, vaultListShape } from "@/lib/server/vaults";
import { parseInput } from "@/lib/validation/parse";
import { vaultCreateSchema } from "@/lib/validation/vaults";
import { SEED_DONE_MARKER } from "./markers";

const BATCH_SIZE = 1_000;

function vaultInput(index: number) {
  return parseInput(vaultCreateSchema, {
    display_name: `Bench vault ${String(index + 1).padStart(5, "0")}`,
    metadata: { team: "bench", index: String(index + 1) },
  });
}

/** The service's own rows for one vault, as templates for the copies. */
async function serviceTemplates(): Promise<{
  vaultId: string;
  vault: Prisma.VaultCreateManyInput;
  audit: Prisma.AuditEventCreateManyInput;
}> {
  const created = await createVault(vaultInput(0), SYSTEM_CONTEXT);
  const { seq: _vaultSeq, ...vault } = await db().vault.findUniqueOrThrow({ where: { id: created.id } });
  const audits = await db().auditEvent.findMany({ where: { resourceType: "vault", resourceId: created.id } });
  const [auditRow] = audits;
  if (audits.length !== 1 || !auditRow) throw new Error(`expected one audit entry for the template vault, found ${audits.length}`);
  const { seq: _auditSeq, ...audit } = auditRow;
  return {
    vaultId: created.id,
    vault: { ...vault, metadata: vault.metadata as Prisma.InputJsonValue },
    audit: { ...audit, details: audit.details as Prisma.InputJsonValue },
  };
}

/** The bench's page size (bench/orchestrate.ts lists `?limit=20`). */
const PAGE_LIMIT = 20;

/**
 * The shape of page 1's plan, e.g. "Limit → Index Scan using vaults_active_created_at_seq_idx on
 * vaults": listVaults's own prepared statement, planned for its values as its first calls are.
 */
async function firstPagePlan(): Promise<string> {
  const { statement, values } = vaultListQuery(vaultListShape({ limit: PAGE_LIMIT, includeArchived: false }), PAGE_LIMIT + 1);
  const sql = statement.text.replace(/\$(\d+)/g, (_, index: string) => pg.escapeLiteral(values[Number(index) - 1] ?? ""));
  const rows = await db().$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${sql}`);
  return rows
    .map((row) => row["QUERY PLAN"])
    .filter((line) => /^\s*(->\s+)?[A-Z]/.test(line) && line.includes("(cost="))
    .map((line) => line.replace(/^\s*(->\s+)?/, "").replace(/\s+\(cost=.*$/, ""))
    .join(" → ");
}

async function main(): Promise<void> {
  const [countArg, idsFile, ...flags] = process.argv.slice(2);
  const count = Number(countArg);
  const analyze = flags.includes("--analyze");
  if (!Number.isInteger(count) || count < 1 || !idsFile) throw new Error("usage: bench/seed.ts <count> <ids-file> [--analyze]");

  const booted = await bootConsole(loadEnv(), undefined, { maintenance: false });
  let interrupted = false;
  const onSignal = () => (interrupted = true);
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);

  try {
    const started = performance.now();
    const templates = await serviceTemplates();
    const ids = [templates.vaultId];
    for (let from = 1; from < count && !interrupted; from += BATCH_SIZE) {
      const vaults: Prisma.VaultCreateManyInput[] = [];
      const audits: Prisma.AuditEventCreateManyInput[] = [];
      for (let index = from; index < Math.min(count, from + BATCH_SIZE); index++) {
        const input = vaultInput(index);
        const id = newId("vlt");
        const now = new Date();
        vaults.push({
          ...templates.vault,
          id,
          displayName: input.display_name,
          metadata: input.metadata ?? {},
          createdAt: now,
          updatedAt: now,
        });
        audits.push({ ...templates.audit, id: newId("aud"), resourceId: id, occurredAt: now });
        ids.push(id);
      }
      // Row order inside createMany is insertion order, so `seq` follows `ids`.
      await transaction(async (tx) => {
        await tx.vault.createMany({ data: vaults });
        await tx.auditEvent.createMany({ data: audits });
      });
    }
    if (interrupted) throw new Error("interrupted");
    const seconds = (performance.now() - started) / 1000;
    const planWithoutStatistics = await firstPagePlan();
    if (analyze) await db().$executeRawUnsafe("ANALYZE");
    await writeFile(idsFile, JSON.stringify(ids));
    const plan = await firstPagePlan();
    console.log(
      `${SEED_DONE_MARKER} ${JSON.stringify({ count: ids.length, seconds, database: booted.database.kind, analyzed: analyze, plan, planWithoutStatistics })}`,
    );
  } finally {
    await booted.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`seed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
