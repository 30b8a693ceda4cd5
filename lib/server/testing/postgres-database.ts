// A throw-away PostgreSQL database made on a server the tests were given (scripts/postgres.ts's
// cluster), so that what one test writes can never meet another's: a database is the unit of
// isolation (a console's master key, for one, covers every sealed row in its database).
import { randomBytes } from "node:crypto";
import pg from "pg";

export interface ThrowAwayDatabase {
  name: string;
  /** `serverUrl` pointing at the new database. */
  url: string;
  drop(): Promise<void>;
}

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new empty database on the server `serverUrl` reaches, named `<prefix>_<random hex>`. */
export async function createThrowAwayDatabase(serverUrl: string, prefix: string): Promise<ThrowAwayDatabase> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  await onServer(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    // FORCE: a connection left open (a console a test did not close) must not keep the database alive.
    drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
