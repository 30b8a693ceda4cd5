import { z } from "zod";
import { displayNameSchema, httpUrlProblem, isBareHost, URL_MAX } from "@/lib/validation/common";
import { ownedMetadataPatchSchema, ownedMetadataSchema } from "@/lib/validation/owned-metadata";

import { CLIENT_SECRET_MAX, REFRESH_TOKEN_MAX, TOKEN_MAX } from "@/lib/validation/limits";

export { CLIENT_SECRET_MAX, REFRESH_TOKEN_MAX, TOKEN_MAX };
export const ALLOWED_HOSTS_MAX = 16;
export const SECRET_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

const secretSchema = (max: number) => z.string({ error: "must be a string" }).min(1, "must not be empty").max(max, `must be at most ${max} characters`);

const httpUrlSchema = z.string().superRefine((value, context) => {
  const problem = httpUrlProblem(value);
  if (problem) context.addIssue({ code: "custom", message: problem });
});

/** RFC 3339 with an explicit offset; the value itself is compared with "now" by the service. */
const timestampSchema = z.iso.datetime({ offset: true, error: "must be an RFC 3339 timestamp" });

const immutable = z.unknown().optional();
function rejectImmutable(fields: string[]) {
  return (input: Record<string, unknown>, context: z.RefinementCtx) => {
    for (const field of fields) {
      if (input[field] !== undefined) {
        context.addIssue({ code: "custom", path: [field], message: "cannot change after create; create a new credential instead" });
      }
    }
  };
}

// --- create -------------------------------------------------------------------------------------

const staticBearerCreateSchema = z.strictObject({
  type: z.literal("static_bearer"),
  token: secretSchema(TOKEN_MAX),
  // Optional here: whether a vault needs it, forbids it, or lets it be depends on the vault's kind.
  mcp_server_url: z.string().nullable().optional(),
});

const tokenEndpointAuthCreateSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("none") }),
  z.strictObject({ type: z.literal("client_secret_basic"), client_secret: secretSchema(CLIENT_SECRET_MAX) }),
  z.strictObject({ type: z.literal("client_secret_post"), client_secret: secretSchema(CLIENT_SECRET_MAX) }),
]);

const refreshCreateSchema = z.strictObject({
  client_id: z.string().min(1, "must not be empty").max(255, "must be at most 255 characters"),
  refresh_token: secretSchema(REFRESH_TOKEN_MAX),
  token_endpoint: httpUrlSchema,
  token_endpoint_auth: tokenEndpointAuthCreateSchema,
  scope: z.string().min(1, "must not be empty").max(2048, "must be at most 2048 characters").nullable().optional(),
  resource: z.string().min(1, "must not be empty").max(URL_MAX, `must be at most ${URL_MAX} characters`).nullable().optional(),
});

const mcpOauthCreateSchema = z.strictObject({
  type: z.literal("mcp_oauth"),
  mcp_server_url: httpUrlSchema,
  access_token: secretSchema(TOKEN_MAX),
  expires_at: timestampSchema.nullable().optional(),
  refresh: refreshCreateSchema.nullable().optional(),
});

const hostSchema = z.string().refine((host) => isBareHost(host, { wildcard: true }), {
  message: "must be a bare hostname, an IPv4 address or a *. wildcard (no scheme, port or path)",
});

export const networkingSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("unrestricted") }),
  z.strictObject({
    type: z.literal("limited"),
    allowed_hosts: z.array(hostSchema).min(1, "must list at least one host").max(ALLOWED_HOSTS_MAX, `must list at most ${ALLOWED_HOSTS_MAX} hosts`),
  }),
]);

const injectionLocationSchema = z.strictObject({ header: z.boolean().optional(), body: z.boolean().optional() });

const environmentVariableCreateSchema = z.strictObject({
  type: z.literal("environment_variable"),
  secret_name: z
    .string()
    .max(255, "must be at most 255 characters")
    .regex(SECRET_NAME_PATTERN, "must match ^[A-Za-z_][A-Za-z0-9_]*$ (letters, digits and underscores, not starting with a digit)"),
  secret_value: secretSchema(TOKEN_MAX),
  networking: networkingSchema,
  injection_location: injectionLocationSchema.optional(),
});

export const credentialAuthCreateSchema = z.discriminatedUnion("type", [staticBearerCreateSchema, mcpOauthCreateSchema, environmentVariableCreateSchema]);

const credentialMetadataSchema = ownedMetadataSchema("credential");

export const credentialCreateSchema = z.strictObject({
  display_name: displayNameSchema.nullable().optional(),
  metadata: credentialMetadataSchema.optional(),
  auth: credentialAuthCreateSchema,
});

export type CredentialCreateInput = z.output<typeof credentialCreateSchema>;
export type CredentialAuthCreateInput = z.output<typeof credentialAuthCreateSchema>;

// --- update -------------------------------------------------------------------------------------

const staticBearerUpdateSchema = z
  .strictObject({ type: z.literal("static_bearer"), token: secretSchema(TOKEN_MAX).nullable().optional(), mcp_server_url: immutable })
  .superRefine(rejectImmutable(["mcp_server_url"]));

const tokenEndpointAuthUpdateSchema = z.strictObject({
  type: z.enum(["client_secret_basic", "client_secret_post"]),
  client_secret: secretSchema(CLIENT_SECRET_MAX).nullable().optional(),
});

const refreshUpdateSchema = z
  .strictObject({
    refresh_token: secretSchema(REFRESH_TOKEN_MAX).nullable().optional(),
    scope: z.string().max(2048, "must be at most 2048 characters").nullable().optional(),
    token_endpoint_auth: tokenEndpointAuthUpdateSchema.optional(),
    client_id: immutable,
    token_endpoint: immutable,
  })
  .superRefine(rejectImmutable(["client_id", "token_endpoint"]));

const mcpOauthUpdateSchema = z
  .strictObject({
    type: z.literal("mcp_oauth"),
    access_token: secretSchema(TOKEN_MAX).nullable().optional(),
    expires_at: timestampSchema.nullable().optional(),
    refresh: refreshUpdateSchema.nullable().optional(),
    mcp_server_url: immutable,
  })
  .superRefine(rejectImmutable(["mcp_server_url"]));

const environmentVariableUpdateSchema = z
  .strictObject({
    type: z.literal("environment_variable"),
    secret_value: secretSchema(TOKEN_MAX).nullable().optional(),
    networking: networkingSchema.nullable().optional(),
    injection_location: injectionLocationSchema.optional(),
    secret_name: immutable,
  })
  .superRefine(rejectImmutable(["secret_name"]));

export const credentialAuthUpdateSchema = z.discriminatedUnion("type", [staticBearerUpdateSchema, mcpOauthUpdateSchema, environmentVariableUpdateSchema]);

const credentialMetadataPatchSchema = ownedMetadataPatchSchema("credential");

export const credentialUpdateSchema = z.strictObject({
  display_name: displayNameSchema.nullable().optional(),
  metadata: credentialMetadataPatchSchema.nullable().optional(),
  auth: credentialAuthUpdateSchema.optional(),
});

export type CredentialUpdateInput = z.output<typeof credentialUpdateSchema>;
export type CredentialAuthUpdateInput = z.output<typeof credentialAuthUpdateSchema>;
export type Networking = z.output<typeof networkingSchema>;
