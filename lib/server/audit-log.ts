import "server-only";
import type { AuditEvent, Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/instances";
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

/**
 * The distinct values of an indexed column, one index probe per value (a "loose index scan"):
 * each step asks the index for the first value above the last one. Prisma's `distinct` reads every
 * row and de-duplicates them in the process, which is the whole log on every audit page load.
 */
async function distinctValues(column: "action" | "resource_type"): Promise<string[]> {
  // The column name is one of two literals above, never input.
  const rows = await db().$queryRawUnsafe<{ value: string }[]>(`
    WITH RECURSIVE seen(value) AS (
      (SELECT ${column} FROM audit_events ORDER BY ${column} LIMIT 1)
      UNION ALL
      SELECT (SELECT ${column} FROM audit_events WHERE ${column} > seen.value ORDER BY ${column} LIMIT 1) FROM seen WHERE seen.value IS NOT NULL
    )
    SELECT value FROM seen WHERE value IS NOT NULL ORDER BY value`);
  return rows.map((row) => row.value);
}

/** The actions and resource types the log has seen, for the filter pickers. */
export async function auditFacets(): Promise<{ actions: string[]; resourceTypes: string[] }> {
  // One after the other: on the embedded database they share its one connection anyway.
  const actions = await distinctValues("action");
  const resourceTypes = await distinctValues("resource_type");
  return { actions, resourceTypes };
}

/** Who each actor is, by name: a user's email, an API key's name and prefix. */
export async function auditActorLabels(events: AuditEvent[]): Promise<Map<string, AuditActorLabel>> {
  const userIds = [...new Set(events.filter((event) => event.actorType === "user" && event.actorId).map((event) => event.actorId as string))];
  const keyIds = [...new Set(events.filter((event) => event.actorType === "api_key" && event.actorId).map((event) => event.actorId as string))];
  const [users, keys] = await Promise.all([
    userIds.length ? db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } }) : [],
    keyIds.length ? db().apiKey.findMany({ where: { id: { in: keyIds } }, select: { id: true, name: true, prefix: true } }) : [],
  ]);
  const labels = new Map<string, AuditActorLabel>();
  for (const user of users) labels.set(`user:${user.id}`, { kind: "user", label: user.email });
  for (const key of keys) labels.set(`api_key:${key.id}`, { kind: "api_key", label: key.name, detail: `${key.prefix}…` });
  labels.set("system", { kind: "system", label: "Console (system)" });
  return labels;
}

/** Every actor the filter can offer: users and API keys, by name. */
export async function auditActorOptions(): Promise<{ value: string; label: string }[]> {
  const [users, keys] = await Promise.all([
    db().user.findMany({ select: { id: true, email: true }, orderBy: { email: "asc" } }),
    db().apiKey.findMany({ select: { id: true, name: true, prefix: true }, orderBy: { createdAt: "desc" } }),
  ]);
  return [
    ...users.map((user) => ({ value: `user:${user.id}`, label: `User · ${user.email}` })),
    ...keys.map((key) => ({ value: `api_key:${key.id}`, label: `API key · ${key.name} (${key.prefix}…)` })),
    { value: "system", label: "Console (system)" },
  ];
}
