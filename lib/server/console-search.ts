import "server-only";
import { db } from "@/lib/instances";
import { nameContaining } from "@/lib/server/keyset-pages";
import type { ConsoleSearchHit, ConsoleSearchKind } from "@/lib/validation/console-search";
import { VAULT_KIND_LABELS } from "@/lib/vault-kind";

/**
 * The ⌘K search over vaults, sessions, agents and environments: by exact id (any kind, one
 * primary-key lookup) or by a case-insensitive part of the name (a session's title). Results are
 * names, ids and a short detail, never a secret or metadata; any signed-in user may search, since
 * viewers can read all of it anyway.
 *
 * Indexes: an id is found through the primary key. A name match is `ILIKE '%…%'`, which no B-tree
 * index can serve, so each kind is a scan of its table stopped at PER_KIND rows, newest first on
 * the (archived_at, created_at, seq) index. At 1,000 vaults that is well under a millisecond of
 * work per kind; at 100,000 a trigram GIN index (pg_trgm on display_name/name/title) would be
 * the next step — not added here, since PGlite (the embedded database) would need the extension.
 */
export const PER_KIND = 5;

/** `vlt_…`, `sesn_…`, `agent_…`, `env_…`: the prefix says where an id lives. */
const ID_PATTERN = /^(vlt|sesn|agent|env)_[A-Za-z0-9]{1,64}$/;

export async function searchConsole(query: string): Promise<ConsoleSearchHit[]> {
  const text = query.trim();
  if (text.length === 0) return [];
  if (ID_PATTERN.test(text)) return byId(text);
  return byName(text);
}

async function byId(id: string): Promise<ConsoleSearchHit[]> {
  const prefix = id.slice(0, id.indexOf("_"));
  if (prefix === "vlt") {
    const vault = await db().vault.findUnique({ where: { id }, select: VAULT_FIELDS });
    return vault ? [vaultHit(vault)] : [];
  }
  if (prefix === "sesn") {
    const session = await db().agentSession.findUnique({ where: { id }, select: SESSION_FIELDS });
    return session ? [sessionHit(session)] : [];
  }
  if (prefix === "agent") {
    const agent = await db().agent.findUnique({ where: { id }, select: NAMED_FIELDS });
    return agent ? [namedHit("agent", agent)] : [];
  }
  const environment = await db().environment.findUnique({ where: { id }, select: NAMED_FIELDS });
  return environment ? [namedHit("environment", environment)] : [];
}

async function byName(text: string): Promise<ConsoleSearchHit[]> {
  const contains = nameContaining(text);
  // Live resources before archived ones, newest first: the order of the list pages.
  const orderBy = [{ archivedAt: { sort: "asc" as const, nulls: "first" as const } }, { createdAt: "desc" as const }, { seq: "desc" as const }];
  const [vaults, sessions, agents, environments] = await Promise.all([
    db().vault.findMany({ where: { displayName: contains }, select: VAULT_FIELDS, orderBy, take: PER_KIND }),
    db().agentSession.findMany({ where: { title: contains }, select: SESSION_FIELDS, orderBy, take: PER_KIND }),
    db().agent.findMany({ where: { name: contains }, select: NAMED_FIELDS, orderBy, take: PER_KIND }),
    db().environment.findMany({ where: { name: contains }, select: NAMED_FIELDS, orderBy, take: PER_KIND }),
  ]);
  return [
    ...vaults.map(vaultHit),
    ...sessions.map(sessionHit),
    ...agents.map((agent) => namedHit("agent", agent)),
    ...environments.map((environment) => namedHit("environment", environment)),
  ];
}

const VAULT_FIELDS = { id: true, displayName: true, kind: true, archivedAt: true } as const;
const SESSION_FIELDS = { id: true, title: true, status: true, archivedAt: true } as const;
const NAMED_FIELDS = { id: true, name: true, archivedAt: true } as const;

const PATHS: Record<ConsoleSearchKind, string> = { vault: "/vaults", session: "/sessions", agent: "/agents", environment: "/environments" };

function hit(kind: ConsoleSearchKind, row: { id: string; archivedAt: Date | null }, name: string, detail: string | null): ConsoleSearchHit {
  return { kind, id: row.id, name, detail, archived: row.archivedAt !== null, href: `${PATHS[kind]}/${row.id}` };
}

function vaultHit(vault: { id: string; displayName: string; kind: "llm" | "credential" | null; archivedAt: Date | null }): ConsoleSearchHit {
  return hit("vault", vault, vault.displayName, `${VAULT_KIND_LABELS[vault.kind ?? "other"]} vault`);
}

function sessionHit(session: { id: string; title: string | null; status: string; archivedAt: Date | null }): ConsoleSearchHit {
  return hit("session", session, session.title ?? "Untitled session", session.status);
}

function namedHit(kind: "agent" | "environment", row: { id: string; name: string; archivedAt: Date | null }): ConsoleSearchHit {
  return hit(kind, row, row.name, null);
}
