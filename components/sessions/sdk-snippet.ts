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

/**
 * The runtime's side: fetch the session's settings with a runtime key and start the harness with
 * them. Egress mode also writes the CA bundle where the env's CA variables point.
 */
export function runtimeSdkSnippet(options: { baseUrl: string; sessionId: string; mode: "boundary" | "egress"; caPath: string }): string {
  const { baseUrl, sessionId, mode, caPath } = options;
  const egress = mode === "egress";
  return [
    ...(egress ? ['import { writeFile } from "node:fs/promises";'] : []),
    'import Anthropic from "@anthropic-ai/sdk";',
    "",
    "// A runtime key (role runtime) scoped to this session or its environment.",
    `const client = new Anthropic({ baseURL: ${JSON.stringify(baseUrl)}, apiKey: process.env.CONSOLE_RUNTIME_KEY });`,
    "",
    "// Each fetch issues a new placeholder and revokes the previous one.",
    `const runtime = await client.post<{ env: Record<string, string>${egress ? "; ca_bundle: string" : ""} }>(${JSON.stringify(`/v1/sessions/${sessionId}/runtime`)}, {`,
    `  body: ${egress ? `{ mode: "egress", ca_path: ${JSON.stringify(caPath)} }` : `{ mode: "boundary" }`},`,
    `  headers: { ${JSON.stringify(BETA_HEADER)}: ${JSON.stringify(BETA_VERSION)} },`,
    "});",
    ...(egress
      ? [
          "",
          "// The egress CA, then the public roots: the file every CA variable in runtime.env names.",
          `await writeFile(${JSON.stringify(caPath)}, runtime.ca_bundle);`,
        ]
      : []),
    "",
    "// Start the harness with these variables (and nothing else secret).",
    "console.log(Object.keys(runtime.env));",
  ].join("\n");
}
