import "server-only";
import type { AuditEvent, Prisma } from "@/lib/generated/prisma/client";
import { cache } from "react";
import { db, preparedQuery } from "@/lib/instances";
import type { PreparedStatement } from "@/lib/open-database";
import { decodeCursor, encodeCursor } from "@/lib/validation/pagination";

const CURSOR_SCOPE = "audit";

export interface AuditFilters {
  /** `user:<id>`, `api_key:<id>` or `system`. */
  actor?: string;
  action?: string;
  resourceType?: string;
  resourceId?: string;
}

export interface AuditActorLabel {
  kind: "user" | "api_key" | "system" | "unknown";
  label: string;
  detail?: string;
}

function actorWhere(actor: string | undefined): Prisma.AuditEventWhereInput {
  if (!actor) return {};
  if (actor === "system") return { actorType: "system" };
  const [kind, id] = actor.split(":");
  return kind && id ? { actorType: kind, actorId: id } : { actorType: actor };
}

export async function listAuditEvents(
  filters: AuditFilters,
  options: { limit: number; page?: string },
): Promise<{ items: AuditEvent[]; nextPage: string | null }> {
  // A log reads in the order it was written: by recording sequence, not by timestamp.
  const before = options.page === undefined ? undefined : decodeCursor(CURSOR_SCOPE, options.page).seq;
  const rows = await db().auditEvent.findMany({
    where: {
      ...actorWhere(filters.actor),
      ...(filters.action ? { action: filters.action } : {}),
      ...(filters.resourceType ? { resourceType: filters.resourceType } : {}),
      ...(filters.resourceId ? { resourceId: filters.resourceId } : {}),
      ...(before === undefined ? {} : { seq: { lt: before } }),
    },
    orderBy: { seq: "desc" },
    take: options.limit + 1,
  });
  const items = rows.slice(0, options.limit);
  const last = items[items.length - 1];
  const more = rows.length > options.limit && last;
  return { items, nextPage: more ? encodeCursor(CURSOR_SCOPE, { createdAt: last.occurredAt, seq: last.seq }) : null };
}

/** One column's distinct values, one index probe per value (a "loose index scan"): each step asks
 * the index for the first value above the last one. A plain DISTINCT reads every row of the log. */
function looseIndexScan(name: string, column: "action" | "resource_type"): string {
  return `${name}(value) AS (
      (SELECT ${column} FROM audit_events ORDER BY ${column} LIMIT 1)
      UNION ALL
      SELECT (SELECT ${column} FROM audit_events WHERE ${column} > ${name}.value ORDER BY ${column} LIMIT 1) FROM ${name} WHERE ${name}.value IS NOT NULL
    )`;
}

/**
 * Everything the audit page shows beside its entries, in one prepared statement: the filter
 * pickers' actions and resource types, and every user and API key (the actor picker, and the names
 * of the actors on the page). It was six queries through Prisma, each a round trip on the embedded
 * database's one connection. The keys minted for runs (one per run attempt) are left out, as on the
 * API keys page: there are as many as turns ever run. auditActorLabels names those on the page.
 */
export const AUDIT_DIRECTORY: PreparedStatement = {
  name: "audit_directory",
  text: `
    WITH RECURSIVE ${looseIndexScan("actions", "action")}, ${looseIndexScan("types", "resource_type")}
    SELECT
      (SELECT coalesce(jsonb_agg(value ORDER BY value), '[]'::jsonb) FROM actions WHERE value IS NOT NULL) AS actions,
      (SELECT coalesce(jsonb_agg(value ORDER BY value), '[]'::jsonb) FROM types WHERE value IS NOT NULL) AS resource_types,
      (SELECT coalesce(jsonb_agg(jsonb_build_object('id', id, 'email', email) ORDER BY email), '[]'::jsonb) FROM users) AS users,
      (SELECT coalesce(jsonb_agg(jsonb_build_object('id', id, 'name', name, 'prefix', prefix) ORDER BY created_at DESC), '[]'::jsonb)
         FROM api_keys WHERE NOT EXISTS (SELECT 1 FROM session_runs WHERE session_runs.api_key_id = api_keys.id)) AS api_keys`,
};

interface AuditDirectory {
  actions: string[];
  resource_types: string[];
  users: { id: string; email: string }[];
  api_keys: { id: string; name: string; prefix: string }[];
}

/** Read once per request, whichever of the three helpers below asks first (React's per-request cache). */
const auditDirectory = cache(async (): Promise<AuditDirectory> => {
  const [row] = await preparedQuery()<AuditDirectory>(AUDIT_DIRECTORY, []);
  if (!row) throw new Error("the audit directory statement returned no row");
  return row;
});

/** The actions and resource types the log has seen, for the filter pickers. */
export async function auditFacets(): Promise<{ actions: string[]; resourceTypes: string[] }> {
  const directory = await auditDirectory();
  return { actions: directory.actions, resourceTypes: directory.resource_types };
}

/** Who each actor is, by name: a user's email, an API key's name and prefix. */
export async function auditActorLabels(events: AuditEvent[]): Promise<Map<string, AuditActorLabel>> {
  const directory = await auditDirectory();
  const actors = new Set(events.map((event) => `${event.actorType}:${event.actorId ?? ""}`));
  const labels = new Map<string, AuditActorLabel>();
  for (const user of directory.users) if (actors.has(`user:${user.id}`)) labels.set(`user:${user.id}`, { kind: "user", label: user.email });
  // Keys on this page the directory leaves out (those minted for runs), read by id: at most a page's worth.
  const unlisted = new Set(events.flatMap((event) => (event.actorType === "api_key" && event.actorId ? [event.actorId] : [])));
  for (const key of directory.api_keys) unlisted.delete(key.id);
  const runKeys = unlisted.size > 0 ? await db().apiKey.findMany({ where: { id: { in: [...unlisted] } }, select: { id: true, name: true, prefix: true } }) : [];
  for (const key of [...directory.api_keys, ...runKeys]) {
    if (actors.has(`api_key:${key.id}`)) labels.set(`api_key:${key.id}`, { kind: "api_key", label: key.name, detail: `${key.prefix}…` });
  }
  labels.set("system", { kind: "system", label: "Console (system)" });
  return labels;
}

/** Every actor the filter can offer: users and API keys, by name. */
export async function auditActorOptions(): Promise<{ value: string; label: string }[]> {
  const directory = await auditDirectory();
  return [
    ...directory.users.map((user) => ({ value: `user:${user.id}`, label: `User · ${user.email}` })),
    ...directory.api_keys.map((key) => ({ value: `api_key:${key.id}`, label: `API key · ${key.name} (${key.prefix}…)` })),
    { value: "system", label: "Console (system)" },
  ];
}
