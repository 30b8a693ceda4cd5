// No `server-only` marker: the runtime settings and the session page use it, inside Next only, but it holds nothing secret.
import { planEgress, type EgressPlan } from "@/lib/boundary/egress-plan";
import { settings } from "@/lib/env";
import { notFound } from "@/lib/errors";
import { db } from "@/lib/instances";
import { storedEnvironmentConfig } from "@/lib/validation/environments";

/**
 * A session's egress plan from the database as it is now: which hosts its runtime may reach
 * through the egress proxy and which credential applies to each. No secret is read.
 */
export async function sessionEgressPlan(sessionId: string): Promise<EgressPlan> {
  const session = await db().agentSession.findUnique({
    where: { id: sessionId },
    select: {
      environmentId: true,
      environment: { select: { config: true } },
      vaults: {
        orderBy: { position: "asc" },
        select: {
          vault: {
            select: {
              id: true,
              kind: true,
              metadata: true,
              archivedAt: true,
              credentials: {
                where: { archivedAt: null },
                orderBy: [{ createdAt: "asc" }, { id: "asc" }],
                select: { id: true, authType: true, mcpServerUrl: true, authPublic: true, endpointOrigin: true },
              },
            },
          },
        },
      },
    },
  });
  if (!session) throw notFound("Session", sessionId);
  return planEgress({
    sessionId,
    environmentId: session.environmentId,
    environmentConfig: storedEnvironmentConfig(session.environment.config),
    vaults: session.vaults
      .map((link) => link.vault)
      .filter((vault) => vault.archivedAt === null)
      .map((vault) => ({ id: vault.id, kind: vault.kind, metadata: vault.metadata, credentials: vault.credentials })),
    privateEndpoints: settings().CONSOLE_PRIVATE_ENDPOINTS,
  });
}
