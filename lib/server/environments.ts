import "server-only";
import type { Environment, Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/instances";
import { conflict, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { recordAudit, type RequestContext } from "@/lib/server/audit";
import { keysetPageArgs, nameContaining, pageOf, type KeysetPage } from "@/lib/server/keyset-pages";
import { transaction } from "@/lib/server/transaction";
import { patchStoredMetadata } from "@/lib/validation/common";
import { defaultEnvironmentConfig, type EnvironmentCreateInput, type EnvironmentUpdateInput } from "@/lib/validation/environments";
import type { ListOptions } from "@/lib/validation/pagination";

const CURSOR_SCOPE = "environments";

export async function createEnvironment(input: EnvironmentCreateInput, context: RequestContext): Promise<Environment> {
  return transaction(async (tx) => {
    const environment = await tx.environment.create({
      data: {
        id: newId("env"),
        name: input.name,
        description: input.description ?? null,
        config: input.config ?? defaultEnvironmentConfig(),
        metadata: input.metadata ?? {},
      },
    });
    await recordAudit(tx, context, { action: "environment.create", resourceType: "environment", resourceId: environment.id });
    return environment;
  });
}

export async function getEnvironment(environmentId: string): Promise<Environment> {
  const environment = await db().environment.findUnique({ where: { id: environmentId } });
  if (!environment) throw notFound("Environment", environmentId);
  return environment;
}

/** Environments newest first; `nameContains` (case-insensitive) is the console's search. */
export async function listEnvironments(options: ListOptions, nameContains?: string): Promise<KeysetPage<Environment>> {
  const page = keysetPageArgs(options, CURSOR_SCOPE);
  const rows = await db().environment.findMany({ ...page, where: { ...page.where, name: nameContaining(nameContains) } });
  return pageOf(rows, options.limit, CURSOR_SCOPE);
}

/** Locks the environment row: session creation takes a shared lock on it, so archive/delete wait. */
export async function lockEnvironment(tx: Prisma.TransactionClient, environmentId: string, mode: "update" | "share"): Promise<Environment> {
  const locked =
    mode === "update"
      ? await tx.$queryRaw<{ id: string }[]>`SELECT id FROM environments WHERE id = ${environmentId} FOR UPDATE`
      : await tx.$queryRaw<{ id: string }[]>`SELECT id FROM environments WHERE id = ${environmentId} FOR SHARE`;
  const environment = locked.length > 0 ? await tx.environment.findUnique({ where: { id: environmentId } }) : null;
  if (!environment) throw notFound("Environment", environmentId);
  return environment;
}

export async function updateEnvironment(environmentId: string, input: EnvironmentUpdateInput, context: RequestContext): Promise<Environment> {
  return transaction(async (tx) => {
    const environment = await lockEnvironment(tx, environmentId, "update");
    if (environment.archivedAt) throw conflict(`Environment ${environmentId} is archived; archived environments are read-only`);
    const metadata = patchStoredMetadata(environment.metadata, input.metadata);
    const updated = await tx.environment.update({
      where: { id: environmentId },
      data: {
        name: input.name ?? environment.name,
        description: input.description === undefined ? environment.description : input.description,
        ...(input.config ? { config: input.config } : {}),
        metadata,
        updatedAt: new Date(),
      },
    });
    await recordAudit(tx, context, { action: "environment.update", resourceType: "environment", resourceId: environmentId });
    return updated;
  });
}

export async function archiveEnvironment(environmentId: string, context: RequestContext): Promise<Environment> {
  return transaction(async (tx) => {
    const environment = await lockEnvironment(tx, environmentId, "update");
    if (environment.archivedAt) return environment;
    const archived = await tx.environment.update({ where: { id: environmentId }, data: { archivedAt: new Date(), updatedAt: new Date() } });
    await recordAudit(tx, context, { action: "environment.archive", resourceType: "environment", resourceId: environmentId });
    return archived;
  });
}

/** Refused while any session (archived ones included) uses the environment; the FK backs this up. */
export async function deleteEnvironment(environmentId: string, context: RequestContext): Promise<void> {
  await transaction(async (tx) => {
    await lockEnvironment(tx, environmentId, "update");
    const sessions = await tx.agentSession.findMany({ where: { environmentId }, select: { id: true }, take: 3 });
    if (sessions.length > 0) {
      throw conflict(
        `Environment ${environmentId} is used by session(s) ${sessions.map((session) => session.id).join(", ")}; delete those sessions first (archiving is not enough)`,
      );
    }
    await tx.environment.delete({ where: { id: environmentId } });
    await recordAudit(tx, context, { action: "environment.delete", resourceType: "environment", resourceId: environmentId });
  });
}
