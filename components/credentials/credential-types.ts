import type { CredentialObject } from "@/lib/serializers/credentials";

export const CREDENTIAL_TYPE_LABELS: Record<CredentialObject["auth"]["type"], string> = {
  static_bearer: "Static bearer token",
  mcp_oauth: "MCP OAuth",
  environment_variable: "Environment variable",
};

/** Compact names for table cells. */
export const CREDENTIAL_TYPE_SHORT_LABELS: Record<CredentialObject["auth"]["type"], string> = {
  static_bearer: "Static bearer",
  mcp_oauth: "MCP OAuth",
  environment_variable: "Env variable",
};

/** What each type calls its secret, for the rotate dialog. */
export const SECRET_LABELS: Record<CredentialObject["auth"]["type"], string> = {
  static_bearer: "Token",
  mcp_oauth: "Access token",
  environment_variable: "Secret value",
};

/** The non-secret thing that tells credentials apart: the MCP server URL or the variable name. */
export function credentialTarget(credential: CredentialObject): { label: string; value: string } | null {
  const auth = credential.auth;
  if (auth.type === "environment_variable") return { label: "Secret name", value: auth.secret_name };
  if (auth.mcp_server_url) return { label: "MCP server", value: auth.mcp_server_url };
  return null;
}
