import { z } from "zod";
import { storedMetadata } from "@/lib/validation/common";
import { networkingSchema } from "@/lib/validation/credentials";

/**
 * The non-secret part of a credential's `auth`, as stored in `auth_public` and returned to callers.
 * Parsing it on the way out (instead of spreading the JSON) makes the response an allow-list.
 */
export const staticBearerPublicSchema = z.object({ mcp_server_url: z.string().nullable() });

export const mcpOauthPublicSchema = z.object({
  mcp_server_url: z.string(),
  expires_at: z.string().nullable(),
  refresh: z
    .object({
      client_id: z.string(),
      token_endpoint: z.string(),
      token_endpoint_auth: z.object({ type: z.enum(["none", "client_secret_basic", "client_secret_post"]) }),
      scope: z.string().nullable(),
      resource: z.string().nullable(),
    })
    .nullable(),
});

export const environmentVariablePublicSchema = z.object({
  secret_name: z.string(),
  networking: networkingSchema,
  injection_location: z.object({ header: z.boolean(), body: z.boolean() }),
});

export type StaticBearerPublic = z.output<typeof staticBearerPublicSchema>;
export type McpOauthPublic = z.output<typeof mcpOauthPublicSchema>;
export type EnvironmentVariablePublic = z.output<typeof environmentVariablePublicSchema>;

type AuthType = "static_bearer" | "mcp_oauth" | "environment_variable";

export function serializeAuth(authType: AuthType, authPublic: unknown) {
  switch (authType) {
    case "static_bearer": {
      const auth = staticBearerPublicSchema.parse(authPublic);
      return { type: authType, mcp_server_url: auth.mcp_server_url };
    }
    case "mcp_oauth": {
      const auth = mcpOauthPublicSchema.parse(authPublic);
      const refresh = auth.refresh && {
        client_id: auth.refresh.client_id,
        token_endpoint: auth.refresh.token_endpoint,
        token_endpoint_auth: { type: auth.refresh.token_endpoint_auth.type },
        scope: auth.refresh.scope,
        resource: auth.refresh.resource,
      };
      return { type: authType, mcp_server_url: auth.mcp_server_url, expires_at: auth.expires_at, refresh };
    }
    case "environment_variable": {
      const auth = environmentVariablePublicSchema.parse(authPublic);
      const networking =
        auth.networking.type === "limited"
          ? { type: "limited" as const, allowed_hosts: [...auth.networking.allowed_hosts] }
          : { type: "unrestricted" as const };
      return {
        type: authType,
        secret_name: auth.secret_name,
        networking,
        injection_location: { header: auth.injection_location.header, body: auth.injection_location.body },
      };
    }
  }
}

/** The API's credential object. `token_hint` is the console's one non-secret hint (`…a1B2`). */
export function serializeCredential(credential: {
  id: string;
  vaultId: string;
  displayName: string | null;
  metadata: unknown;
  authType: AuthType;
  authPublic: unknown;
  tokenHint: string | null;
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
}) {
  return {
    type: "vault_credential" as const,
    id: credential.id,
    vault_id: credential.vaultId,
    display_name: credential.displayName,
    metadata: storedMetadata(credential.metadata),
    auth: serializeAuth(credential.authType, credential.authPublic),
    token_hint: credential.tokenHint,
    created_at: credential.createdAt.toISOString(),
    updated_at: credential.updatedAt.toISOString(),
    archived_at: credential.archivedAt?.toISOString() ?? null,
  };
}

export type CredentialObject = ReturnType<typeof serializeCredential>;
