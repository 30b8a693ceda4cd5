// What most service tests start from: the console booted on the run's database (PostgreSQL when the
// run provides one, the embedded one otherwise), an agent, and an environment without limits.
import { createAgent } from "@/lib/server/agents";
import { SYSTEM_CONTEXT } from "@/lib/server/audit";
import { createEnvironment } from "@/lib/server/environments";
import type { EmbeddedConsole } from "@/lib/server/testing/embedded-console";
import { agentCreateSchema } from "@/lib/validation/agents";
import { environmentCreateSchema } from "@/lib/validation/environments";

export async function bootWithAgentAndEnvironment(embedded: EmbeddedConsole): Promise<{ agentId: string; environmentId: string }> {
  const postgresUrl = process.env.DATABASE_URL;
  await (postgresUrl ? embedded.bootOnPostgres(postgresUrl) : embedded.boot());
  const agent = await createAgent(agentCreateSchema.parse({ name: "agent", model: "claude-sonnet-4-6" }), SYSTEM_CONTEXT);
  const environment = await createEnvironment(
    environmentCreateSchema.parse({ name: "env", config: { type: "cloud", networking: { type: "unrestricted" } } }),
    SYSTEM_CONTEXT,
  );
  return { agentId: agent.id, environmentId: environment.id };
}
