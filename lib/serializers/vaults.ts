import { storedMetadata } from "@/lib/validation/common";

/** The API's vault object, built field by field from the row: nothing else can leak out. */
export function serializeVault(vault: { id: string; displayName: string; metadata: unknown; createdAt: Date; updatedAt: Date; archivedAt: Date | null }) {
  return {
    type: "vault" as const,
    id: vault.id,
    display_name: vault.displayName,
    metadata: storedMetadata(vault.metadata),
    created_at: vault.createdAt.toISOString(),
    updated_at: vault.updatedAt.toISOString(),
    archived_at: vault.archivedAt?.toISOString() ?? null,
  };
}

export type VaultObject = ReturnType<typeof serializeVault>;
