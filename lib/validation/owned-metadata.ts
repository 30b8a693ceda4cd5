import { metadataPatchSchema, metadataSchema } from "@/lib/validation/common";
import { reservedMetadataIssues, type MetadataOwner } from "@/lib/validation/reserved-metadata";

/** Metadata of a resource other than a vault: reserved sandbox0.managed_agents.* keys are refused. */
export function ownedMetadataSchema(owner: Exclude<MetadataOwner, "vault">) {
  return metadataSchema.superRefine((metadata, context) => {
    for (const issue of reservedMetadataIssues(metadata, owner)) {
      context.addIssue({ code: "custom", path: [issue.key], message: issue.message });
    }
  });
}

export function ownedMetadataPatchSchema(owner: Exclude<MetadataOwner, "vault">) {
  return metadataPatchSchema.superRefine((patch, context) => {
    const upserts = Object.fromEntries(Object.entries(patch).filter((entry): entry is [string, string] => entry[1] !== null));
    for (const issue of reservedMetadataIssues(upserts, owner)) {
      context.addIssue({ code: "custom", path: [issue.key], message: issue.message });
    }
  });
}
