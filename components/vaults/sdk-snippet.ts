import type { VaultKind } from "@/lib/vault-kind";

/** The SDK code that does what the vault page does, with this vault's real ids. */
export function vaultSdkSnippet(options: { baseUrl: string; vaultId: string; kind: VaultKind; activeCredentialId: string | null; archived?: boolean }): string {
  const { baseUrl, vaultId, kind, activeCredentialId, archived = false } = options;
  const client = [
    'import Anthropic from "@anthropic-ai/sdk";',
    "",
    `const client = new Anthropic({ baseURL: ${JSON.stringify(baseUrl)}, apiKey: process.env.CONSOLE_API_KEY });`,
    "",
  ];
  if (archived) {
    // An archived vault takes no new credential (409), so the snippet only reads it.
    return [
      ...client,
      "// Archived: read-only. It takes no new credentials and cannot be attached to a session.",
      `const vault = await client.beta.vaults.retrieve(${JSON.stringify(vaultId)});`,
      "",
      `for await (const credential of client.beta.vaults.credentials.list(${JSON.stringify(vaultId)}, { include_archived: true })) {`,
      "  console.log(credential.id, credential.auth.type, credential.archived_at);",
      "}",
    ].join("\n");
  }
  if (kind === "llm") {
    const rotate = activeCredentialId
      ? [
          "",
          "// Rotate it in place; the next model request uses the new token.",
          `await client.beta.vaults.credentials.update(${JSON.stringify(activeCredentialId)}, {`,
          `  vault_id: ${JSON.stringify(vaultId)},`,
          '  auth: { type: "static_bearer", token: process.env.ANTHROPIC_API_KEY } as any,',
          "});",
        ]
      : [];
    return [
      ...client,
      "// The LLM vault's one credential: a static bearer token without mcp_server_url.",
      "// The SDK's type insists on mcp_server_url, hence the cast; the request omits it.",
      `const credential = await client.beta.vaults.credentials.create(${JSON.stringify(vaultId)}, {`,
      '  display_name: "Anthropic API key",',
      '  auth: { type: "static_bearer", token: process.env.ANTHROPIC_API_KEY } as any,',
      "});",
      ...rotate,
      "",
      "// Attach exactly one LLM vault to a session.",
      "await client.beta.sessions.create({",
      '  agent: "agent_…",',
      '  environment_id: "env_…",',
      `  vault_ids: [${JSON.stringify(vaultId)}],`,
      "});",
    ].join("\n");
  }
  if (kind === "credential") {
    return [
      ...client,
      `const vault = await client.beta.vaults.retrieve(${JSON.stringify(vaultId)});`,
      "",
      "// A static bearer token the runtime injects through the headers template.",
      `await client.beta.vaults.credentials.create(${JSON.stringify(vaultId)}, {`,
      '  auth: { type: "static_bearer", token: process.env.PARTNER_API_TOKEN } as any,',
      "});",
    ].join("\n");
  }
  return [
    ...client,
    `await client.beta.vaults.credentials.create(${JSON.stringify(vaultId)}, {`,
    '  display_name: "GitHub MCP",',
    '  auth: { type: "static_bearer", mcp_server_url: "https://mcp.example.com/sse", token: process.env.MCP_TOKEN },',
    "});",
    "",
    `for await (const credential of client.beta.vaults.credentials.list(${JSON.stringify(vaultId)})) {`,
    "  console.log(credential.id, credential.auth.type);",
    "}",
  ].join("\n");
}
