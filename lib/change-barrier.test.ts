// Two console processes' databases on one PostgreSQL (when DATABASE_URL names a server; the test
// makes a database of its own there): what one remembers of the boundary's rows never outlives a
// write the other has answered.
import { performance } from "node:perf_hooks";
import { afterEach, describe, expect, it } from "vitest";
import { rememberedReads } from "@/lib/boundary/lookup";
import { loadEnv } from "@/lib/env";
import { applyMigrations } from "@/lib/migrations/engine";
import { openDatabase, type Database, type PreparedStatement } from "@/lib/open-database";
import { createThrowAwayDatabase, type ThrowAwayDatabase } from "@/lib/server/testing/postgres-database";

const postgresUrl = process.env.DATABASE_URL;

/** A read of a column the change triggers watch (vaults.archived_at), standing in for the boundary's own. */
const VAULT_ARCHIVED: PreparedStatement = { name: "test_vault_archived", text: "SELECT archived_at IS NOT NULL AS archived FROM vaults WHERE id = $1" };

let throwAway: ThrowAwayDatabase | undefined;
const opened: Database[] = [];

afterEach(async () => {
  for (const database of opened.splice(0)) await database.close();
  await throwAway?.drop();
  throwAway = undefined;
});

/** One console process's database: opened, its barrier started, as lib/boot.ts does. */
async function openProcess(url: string): Promise<Database> {
  const database = await openDatabase(loadEnv({ DATABASE_URL: url }));
  opened.push(database);
  await database.startChangeBarrier?.();
  return database;
}

async function twoProcesses(): Promise<[Database, Database]> {
  throwAway = await createThrowAwayDatabase(postgresUrl ?? "", "change_barrier");
  const first = await openDatabase(loadEnv({ DATABASE_URL: throwAway.url }));
  await applyMigrations(first.adapterFactory);
  opened.push(first);
  await first.startChangeBarrier?.();
  return [first, await openProcess(throwAway.url)];
}

/** The second process's remembered read of whether vault `id` is archived, counting its database reads. */
async function rememberedArchived(database: Database) {
  let reads = 0;
  const read = async (id: string) => {
    reads++;
    const rows = await database.preparedQuery<{ archived: boolean }>(VAULT_ARCHIVED, [id]);
    return rows[0]?.archived ?? null;
  };
  const archived = await rememberedReads(database.rememberedRows, read, (answer) => answer !== null);
  return { archived, reads: () => reads };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`not so within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!postgresUrl)("the change barrier across two processes on PostgreSQL", () => {
  it("answers from memory, and every write the other process has answered is read at once", { timeout: 60_000 }, async () => {
    const [writer, reader] = await twoProcesses();
    await writer.prisma.$executeRawUnsafe("INSERT INTO vaults (id, display_name) VALUES ('vlt_barrier', 'barrier')");
    await until(() => reader.rememberedRows.trustedForMs() > 0, 5_000);
    const { archived, reads } = await rememberedArchived(reader);
    expect(await archived("vlt_barrier")).toBe(false);
    expect(await archived("vlt_barrier")).toBe(false);
    expect(reads(), "the second call came from memory").toBe(1);

    // Each way a write reaches the pool: Prisma's promise form, a transaction's COMMIT, pg's callback form.
    const writes: Array<(archivedAt: Date | null) => Promise<unknown>> = [
      (archivedAt) => writer.prisma.vault.update({ where: { id: "vlt_barrier" }, data: { archivedAt } }),
      (archivedAt) =>
        writer.prisma.$transaction(async (tx) => {
          await tx.vault.update({ where: { id: "vlt_barrier" }, data: { archivedAt } });
          await tx.vault.count();
        }),
      (archivedAt) =>
        writer.preparedQuery({ name: "test_archive_vault", text: "UPDATE vaults SET archived_at = NULLIF($2, '')::timestamptz WHERE id = $1" }, [
          "vlt_barrier",
          archivedAt?.toISOString() ?? "",
        ]),
    ];
    for (let round = 0; round < 30; round++) {
      const archive = round % 2 === 0;
      const write = writes[round % writes.length]!;
      // The empty text is NULL for the raw statement; Prisma takes the null itself.
      await write(archive ? new Date() : null).catch((error: unknown) => {
        throw new Error(`write ${round % writes.length} failed: ${String(error)}`);
      });
      expect(await archived("vlt_barrier"), `round ${round}: read right after the other process's write`).toBe(archive);
      expect(await archived("vlt_barrier"), `round ${round}: again`).toBe(archive);
    }
    // Each change costs one read (the next call), the call after it is remembered again.
    expect(reads()).toBeLessThanOrEqual(1 + 30 + 3);
  });

  it("waits for a process that holds a lease and does not answer until the lease ends, and no longer", { timeout: 60_000 }, async () => {
    const [writer] = await twoProcesses();
    await writer.prisma.$executeRawUnsafe("INSERT INTO vaults (id, display_name) VALUES ('vlt_ghost', 'ghost')");
    await writer.prisma.$executeRawUnsafe("INSERT INTO boundary_readers (id, lease_until) VALUES ('ghost', clock_timestamp() + interval '800 milliseconds')");
    const started = performance.now();
    await writer.prisma.vault.update({ where: { id: "vlt_ghost" }, data: { archivedAt: new Date() } });
    const waited = performance.now() - started;
    expect(waited, "waited for the silent lease").toBeGreaterThan(500);
    expect(waited, "no longer than the lease").toBeLessThan(3_000);

    const again = performance.now();
    await writer.prisma.vault.update({ where: { id: "vlt_ghost" }, data: { archivedAt: null } });
    expect(performance.now() - again, "the lapsed lease is not waited for").toBeLessThan(500);
    // A write to nothing the boundary reads waits for nobody, whatever leases say.
    await writer.prisma.$executeRawUnsafe("INSERT INTO boundary_readers (id, lease_until) VALUES ('ghost 2', clock_timestamp() + interval '5 seconds')");
    const unrelated = performance.now();
    await writer.prisma.vault.update({ where: { id: "vlt_ghost" }, data: { displayName: "renamed" } });
    expect(performance.now() - unrelated, "a rename waits for no barrier").toBeLessThan(500);
  });

  it("keeps waiting for a silent lease that was renewed meanwhile, until its new end", { timeout: 60_000 }, async () => {
    const [writer] = await twoProcesses();
    await writer.prisma.$executeRawUnsafe("INSERT INTO vaults (id, display_name) VALUES ('vlt_renewed', 'renewed')");
    await writer.prisma.$executeRawUnsafe("INSERT INTO boundary_readers (id, lease_until) VALUES ('renewed', clock_timestamp() + interval '500 milliseconds')");
    const started = performance.now();
    const renewal = new Promise((resolve) => setTimeout(resolve, 250)).then(() =>
      writer.preparedQuery(
        { name: "test_renew_lease", text: "UPDATE boundary_readers SET lease_until = clock_timestamp() + interval '1 second' WHERE id = $1" },
        ["renewed"],
      ),
    );
    await writer.prisma.vault.update({ where: { id: "vlt_renewed" }, data: { archivedAt: new Date() } });
    const waited = performance.now() - started;
    await renewal;
    expect(waited, "waited to the renewed end (250 ms + 1 s)").toBeGreaterThan(1_100);
    expect(waited, "and not much longer").toBeLessThan(2_500);
  });

  it("stops answering from memory when its connection drops, and reads what changed meanwhile", { timeout: 60_000 }, async () => {
    const [writer, reader] = await twoProcesses();
    await writer.prisma.$executeRawUnsafe("INSERT INTO vaults (id, display_name) VALUES ('vlt_drop', 'drop')");
    await until(() => reader.rememberedRows.trustedForMs() > 0, 5_000);
    const { archived, reads } = await rememberedArchived(reader);
    expect(await archived("vlt_drop")).toBe(false);
    expect(await archived("vlt_drop")).toBe(false);
    expect(reads()).toBe(1);

    // Every barrier connection of this database is cut; the writer's write must wait for them.
    await writer.prisma.$executeRawUnsafe(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'console change barrier' AND datname = current_database()",
    );
    await until(() => reader.rememberedRows.trustedForMs() <= 0, 5_000);
    await writer.prisma.vault.update({ where: { id: "vlt_drop" }, data: { archivedAt: new Date() } });
    expect(await archived("vlt_drop"), "read after the write, while reconnecting or after").toBe(true);
    await until(() => reader.rememberedRows.trustedForMs() > 0, 10_000);
    expect(await archived("vlt_drop")).toBe(true);
    const before = reads();
    expect(await archived("vlt_drop")).toBe(true);
    expect(reads(), "remembered again once its lease is heard").toBe(before);
  });
});
