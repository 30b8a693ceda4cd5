import type { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";

/** Who acts: an API key, a signed-in user, or the console itself (bootstrap, maintenance). */
export type Actor = { kind: "api_key"; id: string } | { kind: "user"; id: string } | { kind: "system" };

/** Everything a service needs to know about the caller to authorize and audit a mutation. */
export interface RequestContext {
  actor: Actor;
  requestId?: string;
  clientAddress?: string;
}

export const SYSTEM_CONTEXT: RequestContext = { actor: { kind: "system" } };

export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId: string;
  /** Non-secret facts about the change (names of changed fields, counts). Never a secret value. */
  details?: Prisma.InputJsonObject;
}

/** The audit_events row of an entry, by column, for the statements that write it themselves. */
export function auditColumns(context: RequestContext, entry: AuditEntry) {
  return {
    id: newId("aud"),
    actor_type: context.actor.kind,
    actor_id: context.actor.kind === "system" ? null : context.actor.id,
    action: entry.action,
    resource_type: entry.resourceType,
    resource_id: entry.resourceId,
    request_id: context.requestId ?? null,
    client_address: context.clientAddress ?? null,
    details: entry.details ?? {},
  };
}

/** Writes the audit entry inside the mutation's own transaction: both land, or neither does. */
export async function recordAudit(tx: Prisma.TransactionClient, context: RequestContext, entry: AuditEntry): Promise<void> {
  const row = auditColumns(context, entry);
  await tx.auditEvent.create({
    data: {
      id: row.id,
      actorType: row.actor_type,
      actorId: row.actor_id,
      action: row.action,
      resourceType: row.resource_type,
      resourceId: row.resource_id,
      requestId: row.request_id,
      clientAddress: row.client_address,
      details: row.details,
    },
  });
}
