import { BETA_HEADER, BETA_VERSION } from "@/lib/http/headers";

/** The SDK code that creates this same session and reads its diagnostics, with the real ids. */
export function sessionSdkSnippet(options: { baseUrl: string; agentId: string; environmentId: string; vaultIds: string[]; title: string | null }): string {
  const { baseUrl, agentId, environmentId, vaultIds, title } = options;
  return [
    'import Anthropic from "@anthropic-ai/sdk";',
    "",
    `const client = new Anthropic({ baseURL: ${JSON.stringify(baseUrl)}, apiKey: process.env.CONSOLE_API_KEY });`,
    "",
    "// The LLM vault first; at most one vault with sandbox0.managed_agents.role = llm.",
    "const session = await client.beta.sessions.create({",
    `  agent: ${JSON.stringify(agentId)},`,
    `  environment_id: ${JSON.stringify(environmentId)},`,
    `  vault_ids: [${vaultIds.map((vaultId) => JSON.stringify(vaultId)).join(", ")}],`,
    ...(title ? [`  title: ${JSON.stringify(title)},`] : []),
    "});",
    "",
    "// Diagnostics are a console extension: one entry per check, with the fix for each failure.",
    "const diagnostics = await client.get(`/v1/sessions/${session.id}/diagnostics`, {",
    `  headers: { ${JSON.stringify(BETA_HEADER)}: ${JSON.stringify(BETA_VERSION)} },`,
    "});",
    "console.log(diagnostics);",
  ].join("\n");
}
