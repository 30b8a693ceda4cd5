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
