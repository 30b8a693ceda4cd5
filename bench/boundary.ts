// What the credential boundary (SPEC §7) adds to a model call, measured against the same stub
// upstream called directly, in the same run (bench/compare.ts): bench/orchestrate.ts calls
// measureBoundary() while the real server runs. The difference is the boundary: one more loopback
// hop, the placeholder lookup, the decryption, the Next route.
import { anthropicApi, startStubUpstream } from "../e2e/api/stub-upstream";
import { ANTHROPIC_HEADERS, compareAll, type Comparison, type ComparisonSettings, type Route } from "./compare";
import { archiveVault, setUpSession } from "./session";

export async function measureBoundary(settings: ComparisonSettings): Promise<Comparison> {
  const stub = await startStubUpstream(anthropicApi());
  let vaultId: string | null = null;
  try {
    const session = await setUpSession(settings, stub.origin, "boundary");
    vaultId = session.vaultId;
    const { ANTHROPIC_BASE_URL: baseUrl = "", ANTHROPIC_API_KEY: placeholder = "" } = session.runtime.env;
    // The direct call carries a key of its own: the stub answers any, and no token is needed to compare.
    const direct: Route = { origin: stub.origin, path: "/v1/messages", headers: { ...ANTHROPIC_HEADERS, "x-api-key": "direct-call" } };
    const boundary: Route = {
      origin: settings.origin,
      path: `${new URL(baseUrl).pathname}/v1/messages`,
      headers: { ...ANTHROPIC_HEADERS, "x-api-key": placeholder },
    };
    return await compareAll(settings, stub, { direct, through: boundary }, "boundary");
  } finally {
    if (vaultId) await archiveVault(settings, vaultId);
    await stub.close();
  }
}
