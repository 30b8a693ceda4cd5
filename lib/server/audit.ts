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

/** Writes the audit entry inside the mutation's own transaction: both land, or neither does. */
export async function recordAudit(tx: Prisma.TransactionClient, context: RequestContext, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({
    data: {
      id: newId("aud"),
      actorType: context.actor.kind,
      actorId: context.actor.kind === "system" ? null : context.actor.id,
      action: entry.action,
      resourceType: entry.resourceType,
      resourceId: entry.resourceId,
      requestId: context.requestId ?? null,
      clientAddress: context.clientAddress ?? null,
      details: entry.details ?? {},
    },
  });
}
