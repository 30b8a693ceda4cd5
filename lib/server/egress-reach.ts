// No `server-only` marker: the runtime settings and the session page use it, inside Next only, but it holds nothing secret.
import { planEgress, type EgressPlan } from "@/lib/boundary/egress-plan";
import { settings } from "@/lib/env";
import { notFound } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/instances";
import { storedEnvironmentConfig } from "@/lib/validation/environments";

/**
 * What a session's reach is read from: its environment and its attached vaults (whole rows, in
 * attachment order) with their active credentials, oldest first. The egress plan and the
 * readiness checks both take it, so a run's claim reads it once for both. Sealed secrets come with
 * the rows; nothing here returns one.
 */
export const SESSION_REACH_SELECT = {
  environmentId: true,
  environment: { select: { config: true } },
  vaults: {
    orderBy: { position: "asc" },
    select: {
      vault: {
        include: {
          credentials: { where: { archivedAt: null }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
        },
      },
    },
  },
} as const satisfies Prisma.AgentSessionSelect;

export type SessionReach = Prisma.AgentSessionGetPayload<{ select: typeof SESSION_REACH_SELECT }>;

/** The session's reach as it is now (see SESSION_REACH_SELECT); a 404 for an unknown session. */
export async function readSessionReach(sessionId: string): Promise<SessionReach> {
  const session = await db().agentSession.findUnique({ where: { id: sessionId }, select: SESSION_REACH_SELECT });
  if (!session) throw notFound("Session", sessionId);
  return session;
}

/** Which hosts the session's runtime may reach through the egress proxy, and which credential applies to each. */
export function egressPlanOf(sessionId: string, reach: SessionReach): EgressPlan {
  return planEgress({
    sessionId,
    environmentId: reach.environmentId,
    environmentConfig: storedEnvironmentConfig(reach.environment.config),
    vaults: reach.vaults
      .map((link) => link.vault)
      .filter((vault) => vault.archivedAt === null)
      .map((vault) => ({ id: vault.id, kind: vault.kind, metadata: vault.metadata, credentials: vault.credentials })),
    privateEndpoints: settings().CONSOLE_PRIVATE_ENDPOINTS,
  });
}

/** The session's egress plan from the database as it is now. No secret leaves: the plan names credentials by id. */
export async function sessionEgressPlan(sessionId: string): Promise<EgressPlan> {
  return egressPlanOf(sessionId, await readSessionReach(sessionId));
}
