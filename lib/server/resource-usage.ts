import "server-only";
import { db } from "@/lib/instances";

/** A few of the sessions that use a vault or an environment, and how many there are in all. */
export interface SessionUsage {
  count: number;
  /** The newest first, at most `USAGE_SAMPLE` of them, archived ones included. */
  sessions: { id: string; title: string | null; archivedAt: Date | null }[];
}

export const USAGE_SAMPLE = 5;

const SESSION_FIELDS = { id: true, title: true, archivedAt: true } as const;
const NEWEST_FIRST = [{ createdAt: "desc" as const }, { seq: "desc" as const }];

/**
 * Which sessions reference the vault (archived sessions too: they block a delete just the same).
 * Two index reads on session_vaults(vault_id): a count and the newest few.
 */
export async function sessionsUsingVault(vaultId: string): Promise<SessionUsage> {
  const where = { vaults: { some: { vaultId } } };
  const [count, sessions] = await Promise.all([
    db().sessionVault.count({ where: { vaultId } }),
    db().agentSession.findMany({ where, select: SESSION_FIELDS, orderBy: NEWEST_FIRST, take: USAGE_SAMPLE }),
  ]);
  return { count, sessions };
}

/** The same for an environment, on sessions(environment_id). */
export async function sessionsUsingEnvironment(environmentId: string): Promise<SessionUsage> {
  const where = { environmentId };
  const [count, sessions] = await Promise.all([
    db().agentSession.count({ where }),
    db().agentSession.findMany({ where, select: SESSION_FIELDS, orderBy: NEWEST_FIRST, take: USAGE_SAMPLE }),
  ]);
  return { count, sessions };
}
