import { z } from "zod";
import { displayNameSchema, metadataPatchSchema, metadataSchema } from "@/lib/validation/common";
import { consoleRowIncludeParam, listQuerySchema, nameSearchParam } from "@/lib/validation/pagination";
import { reservedMetadataIssues } from "@/lib/validation/reserved-metadata";
import { VAULT_KINDS, type VaultKind } from "@/lib/vault-kind";

/**
 * GET /v1/vaults: the standard list query plus two console extensions the admin UI uses —
 * `q` (display name contains, case-insensitive) and `kind` — and `include=console_row`.
 */
export const vaultListQuerySchema = listQuerySchema.extend({
  ...nameSearchParam,
  kind: z.enum(VAULT_KINDS, { error: 'must be "llm", "credential" or "other"' }).optional(),
  ...consoleRowIncludeParam,
});

export interface VaultListFilters {
  nameContains?: string;
  kind?: VaultKind;
}

export function vaultListFilters(query: z.output<typeof vaultListQuerySchema>): VaultListFilters {
  return { nameContains: query.q || undefined, kind: query.kind };
}

export const vaultCreateSchema = z
  .strictObject({
    display_name: displayNameSchema,
    metadata: metadataSchema.optional(),
  })
  .superRefine((input, context) => {
    for (const issue of reservedMetadataIssues(input.metadata ?? {}, "vault")) {
      context.addIssue({ code: "custom", path: ["metadata", issue.key], message: issue.message });
    }
  });

/** Reserved-key rules need the merged metadata, so the service checks them after the patch. */
export const vaultUpdateSchema = z.strictObject({
  display_name: displayNameSchema.nullable().optional(),
  metadata: metadataPatchSchema.nullable().optional(),
});

export type VaultCreateInput = z.output<typeof vaultCreateSchema>;
export type VaultUpdateInput = z.output<typeof vaultUpdateSchema>;
