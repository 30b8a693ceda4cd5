import { storedMetadata } from "@/lib/validation/common";
import { storedEnvironmentConfig } from "@/lib/validation/environments";

export function serializeEnvironment(environment: {
  id: string;
  name: string;
  description: string | null;
  config: unknown;
  metadata: unknown;
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
}) {
  return {
    type: "environment" as const,
    id: environment.id,
    name: environment.name,
    description: environment.description,
    config: storedEnvironmentConfig(environment.config),
    metadata: storedMetadata(environment.metadata),
    created_at: environment.createdAt.toISOString(),
    updated_at: environment.updatedAt.toISOString(),
    archived_at: environment.archivedAt?.toISOString() ?? null,
  };
}

export type EnvironmentObject = ReturnType<typeof serializeEnvironment>;
