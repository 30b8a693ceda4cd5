import "server-only";
import { agentOptions, environmentOptions, llmVaultOptions, otherVaultOptions } from "@/lib/server/session-form-options";
import { PICKER_PAGE, type SessionFormOptions } from "@/lib/forms/session-form-types";

/** Agents and environments are few; the sessions list's agent filter reads this list too. */
const START_LIMIT = 100;

/**
 * What the session form lists before anything is typed: the newest agents and environments, and
 * the first page of each vault picker (LLM vaults holding a token first). Typing searches the rest
 * through the session actions' search, so the page stays small at thousands of vaults.
 */
export async function sessionFormOptions(): Promise<SessionFormOptions> {
  const [agents, environments, llmVaults, otherVaults] = await Promise.all([
    agentOptions("", START_LIMIT),
    environmentOptions("", START_LIMIT),
    llmVaultOptions("", PICKER_PAGE),
    otherVaultOptions("", PICKER_PAGE),
  ]);
  return { agents, environments, llmVaults, otherVaults };
}
