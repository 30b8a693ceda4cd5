import { z } from "zod";
import { agentToolsSchema, storedAgentTools } from "@/lib/validation/agent-tools";
import { ownedMetadataPatchSchema, ownedMetadataSchema } from "@/lib/validation/owned-metadata";
import { createdAtFilterParams, listQuerySchema, nameSearchParam } from "@/lib/validation/pagination";

import { AGENT_DESCRIPTION_MAX, AGENT_NAME_MAX, AGENT_SYSTEM_MAX } from "@/lib/validation/limits";

export { AGENT_DESCRIPTION_MAX, AGENT_NAME_MAX, AGENT_SYSTEM_MAX };

const nameSchema = z
  .string({ error: "must be a string" })
  .transform((value) => value.trim())
  .pipe(z.string().min(1, "must not be empty").max(AGENT_NAME_MAX, `must be at most ${AGENT_NAME_MAX} characters`));

const AGENT_EFFORTS = ["low", "medium", "high", "xhigh", "max"] as const;
type AgentEffort = (typeof AGENT_EFFORTS)[number];

const modelIdSchema = z.string().min(1, "must not be empty").max(128, "must be at most 128 characters");

/** `model` is a model id, or a model configuration object; both are stored as the object. */
export const modelSchema = z
  .union([
    modelIdSchema,
    z.strictObject({
      id: modelIdSchema,
      speed: z.enum(["standard", "fast"]).nullable().optional(),
      effort: z.enum(AGENT_EFFORTS).nullable().optional(),
    }),
  ])
  .transform((model) => (typeof model === "string" ? { id: model } : modelConfig(model)));

export type AgentModel = z.output<typeof modelSchema>;

/**
 * MCP servers and skills are part of the official shape, but this console's runner has no MCP
 * client or skill store; it accepts them only empty rather than store what it would ignore.
 */
const notSupported = (what: string) => z.array(z.unknown()).max(0, `${what} are not supported by this console; omit them`).optional();

const agentFields = {
  name: nameSchema,
  model: modelSchema,
  system: z.string().max(AGENT_SYSTEM_MAX, `must be at most ${AGENT_SYSTEM_MAX} characters`).nullable().optional(),
  description: z.string().max(AGENT_DESCRIPTION_MAX, `must be at most ${AGENT_DESCRIPTION_MAX} characters`).nullable().optional(),
  tools: agentToolsSchema.optional(),
  mcp_servers: notSupported("MCP servers"),
  skills: notSupported("skills"),
};

export const agentCreateSchema = z.strictObject({ ...agentFields, metadata: ownedMetadataSchema("agent").optional() });

export const agentUpdateSchema = z.strictObject({
  name: nameSchema.optional(),
  model: modelSchema.optional(),
  system: agentFields.system,
  description: agentFields.description,
  /** A full replacement; null clears it, as an empty array does. */
  tools: agentToolsSchema.nullable().optional(),
  mcp_servers: notSupported("MCP servers").nullable(),
  skills: notSupported("skills").nullable(),
  metadata: ownedMetadataPatchSchema("agent").nullable().optional(),
  /** Optimistic concurrency: when given, it must be the agent's current version. */
  version: z.number().int().min(1).optional(),
});

export type AgentCreateInput = z.output<typeof agentCreateSchema>;
export type AgentUpdateInput = z.output<typeof agentUpdateSchema>;

const INT32_MAX = 2_147_483_647;

/** A version number in a query string (`?version=`, `agent_version=`): an int32 of at least 1, as the contract types it. */
export const agentVersionParam = z
  .string()
  .regex(/^\d{1,10}$/, "must be an integer of at least 1")
  .transform(Number)
  .pipe(z.number().int().min(1, "must be an integer of at least 1").max(INT32_MAX, `must be at most ${INT32_MAX}`));

/** `GET /v1/agents/{id}`: `version` picks a past version; omitted, the latest. */
export const agentRetrieveQuerySchema = z.strictObject({ version: agentVersionParam.optional() });

/** GET /v1/agents: the standard list query, the creation-time bounds and the console's name search `q`. */
export const agentListQuerySchema = listQuerySchema.extend({ ...createdAtFilterParams, ...nameSearchParam });

/** `GET /v1/agents/{id}/versions` pages with `limit` and `page` only: a version is never archived on its own. */
export const agentVersionListQuerySchema = listQuerySchema.omit({ include_archived: true });

const storedModelSchema = z.object({
  id: z.string(),
  speed: z.enum(["standard", "fast"]).optional(),
  effort: z.enum(AGENT_EFFORTS).optional(),
});

/** A model configuration with unset options left out rather than sent as null. */
function modelConfig(model: { id: string; speed?: "standard" | "fast" | null; effort?: AgentEffort | null }) {
  return { id: model.id, ...(model.speed ? { speed: model.speed } : {}), ...(model.effort ? { effort: model.effort } : {}) };
}

/** Reads a stored model configuration back (the agent row, or a session's agent snapshot). */
export function storedModel(value: unknown) {
  return modelConfig(storedModelSchema.parse(value));
}

const storedAgentSnapshotSchema = z.object({
  id: z.string(),
  version: z.number(),
  name: z.string(),
  description: z.string().nullable(),
  model: z.unknown(),
  system: z.string().nullable(),
  tools: z.unknown(),
});

/** Reads a stored agent snapshot back (an agent version, a session's `agent`). */
export function storedAgentSnapshot(value: unknown) {
  const snapshot = storedAgentSnapshotSchema.parse(value);
  return { ...snapshot, tools: storedAgentTools(snapshot.tools) };
}
