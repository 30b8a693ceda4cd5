import { z } from "zod";
import { ownedMetadataPatchSchema, ownedMetadataSchema } from "@/lib/validation/owned-metadata";
import { agentVersionParam } from "@/lib/validation/agents";
import { consoleRowIncludeParam, createdAtFilterParams, listQuerySchema } from "@/lib/validation/pagination";
import { RESERVED_KEYS } from "@/lib/validation/reserved-metadata";
import { SESSION_STATUSES, SESSION_TITLE_MAX, SESSION_VAULTS_MAX } from "@/lib/validation/limits";

export { SESSION_STATUSES, SESSION_TITLE_MAX, SESSION_VAULTS_MAX };

/** SPEC §5: the answer to more than one role `llm` vault in `vault_ids`, however the request got there. */
export const MULTIPLE_LLM_VAULTS_MESSAGE = `Multiple LLM vaults attached: attach exactly one vault with ${RESERVED_KEYS.role} = llm`;
const ID_MAX = 128;

const idSchema = z.string({ error: "must be a string" }).min(1, "must not be empty").max(ID_MAX, `must be at most ${ID_MAX} characters`);

/** `agent` is an agent id (its latest version) or `{ type: "agent", id, version? }`. */
const agentReferenceSchema = z
  .union([idSchema, z.strictObject({ type: z.literal("agent"), id: idSchema, version: z.number().int().min(1).optional() })], {
    error: 'must be an agent id or { "type": "agent", "id": …, "version"?: … }',
  })
  .transform((agent) => (typeof agent === "string" ? { id: agent } : { id: agent.id, version: agent.version }));

export const vaultIdsSchema = z
  .array(idSchema)
  .max(SESSION_VAULTS_MAX, `must list at most ${SESSION_VAULTS_MAX} vaults`)
  .superRefine((vaultIds, context) => {
    vaultIds.forEach((vaultId, index) => {
      const first = vaultIds.indexOf(vaultId);
      if (first !== index) {
        context.addIssue({ code: "custom", path: [index], message: `duplicates vault_ids[${first}] (${vaultId}); list each vault once` });
      }
    });
  });

const titleSchema = z.string().max(SESSION_TITLE_MAX, `must be at most ${SESSION_TITLE_MAX} characters`).nullable().optional();
/** The contract gives the update's title a minLength of 1 (the create's has none): clear a title with null. */
const titleUpdateSchema = z
  .string()
  .min(1, "must not be empty; send null to clear the title")
  .max(SESSION_TITLE_MAX, `must be at most ${SESSION_TITLE_MAX} characters`)
  .nullable()
  .optional();

export const sessionCreateSchema = z.strictObject({
  agent: agentReferenceSchema,
  environment_id: idSchema,
  title: titleSchema,
  metadata: ownedMetadataSchema("session").optional(),
  vault_ids: vaultIdsSchema.optional(),
  resources: z.array(z.unknown()).max(0, "session resources are not supported by this console; omit them").optional(),
});

/** Unlike the official API, `vault_ids` can be replaced on update (under the same rules). */
export const sessionUpdateSchema = z.strictObject({
  title: titleUpdateSchema,
  metadata: ownedMetadataPatchSchema("session").nullable().optional(),
  vault_ids: vaultIdsSchema.optional(),
});

export type SessionCreateInput = z.output<typeof sessionCreateSchema>;
export type SessionUpdateInput = z.output<typeof sessionUpdateSchema>;

export const sessionListQuerySchema = listQuerySchema.extend({
  order: z.enum(["asc", "desc"], { error: 'must be "asc" or "desc"' }).optional(),
  agent_id: idSchema.optional(),
  agent_version: agentVersionParam.optional(),
  ...createdAtFilterParams,
  "statuses[]": z.array(z.enum(SESSION_STATUSES, { error: `must be one of ${SESSION_STATUSES.join(", ")}` })).optional(),
  ...consoleRowIncludeParam,
});

export type SessionListQuery = z.output<typeof sessionListQuerySchema>;
