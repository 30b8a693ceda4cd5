// A ready session for the benchmark, made through the API as an operator would: an LLM vault that
// names the stub upstream, its token carrying the canary, an agent, an environment, the session,
// a runtime key, and the runtime settings of the mode measured.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { ComparisonSettings } from "./compare";

type ApiSettings = Pick<ComparisonSettings, "origin" | "apiHeaders" | "canary">;

export async function postJson(settings: ApiSettings, path: string, body: unknown, headers = settings.apiHeaders): Promise<Record<string, unknown>> {
  const response = await fetch(`${settings.origin}${path}`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${text.replaceAll(settings.canary, "<canary>").slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** POST /v1/sessions/{id}/runtime's answer: its env, and the rest for a mode's own fields. */
const runtimeSettingsSchema = z.looseObject({ env: z.record(z.string(), z.string()) });

export interface BenchSession {
  vaultId: string;
  runtime: z.infer<typeof runtimeSettingsSchema>;
}

export async function setUpSession(settings: ApiSettings, llmBaseUrl: string, mode: "boundary" | "egress"): Promise<BenchSession> {
  const suffix = randomBytes(4).toString("hex");
  const vault = await postJson(settings, "/v1/vaults", {
    display_name: `Bench LLM vault ${suffix}`,
    metadata: {
      "sandbox0.managed_agents.role": "llm",
      "sandbox0.managed_agents.engine": "claude",
      "sandbox0.managed_agents.llm_base_url": llmBaseUrl,
    },
  });
  await postJson(settings, `/v1/vaults/${String(vault.id)}/credentials`, {
    auth: { type: "static_bearer", token: `sk-ant-${settings.canary}-bench-${randomBytes(16).toString("hex")}` },
  });
  const agent = await postJson(settings, "/v1/agents", { name: `Bench agent ${suffix}`, model: "claude-sonnet-4-6" });
  const environment = await postJson(settings, "/v1/environments", {
    name: `bench-env-${suffix}`,
    config: { type: "cloud", networking: { type: "unrestricted" } },
  });
  const session = await postJson(settings, "/v1/sessions", { agent: agent.id, environment_id: environment.id, vault_ids: [vault.id] });
  const runtimeKey = await postJson(settings, "/v1/api_keys", {
    name: `Bench runtime ${suffix}`,
    role: "runtime",
    session_ids: [session.id],
  });
  const runtime = await postJson(settings, `/v1/sessions/${String(session.id)}/runtime`, mode === "boundary" ? {} : { mode }, {
    ...settings.apiHeaders,
    "x-api-key": String(runtimeKey.key),
  });
  return { vaultId: String(vault.id), runtime: runtimeSettingsSchema.parse(runtime) };
}

/** Archived, the vault leaves the default list: the bare handler's pages must match Next's from before. */
export async function archiveVault(settings: ApiSettings, vaultId: string): Promise<void> {
  await postJson(settings, `/v1/vaults/${vaultId}/archive`, {});
}
