/**
 * `npm run egress:rotate-ca`: retires the egress proxy's CA (its sealed key is purged) and creates a
 * new one. Console processes pick the new CA up within 30 seconds; runtimes must fetch their
 * runtime settings again to trust it (a runtime that kept the old CA fails TLS to intercepted hosts,
 * closed rather than open). Embedded default: stop the console first (PGlite has one owner).
 */
import "@/lib/debug-guard";
import { bootConsole } from "@/lib/boot";
import { loadEnv } from "@/lib/env";
import { SYSTEM_CONTEXT } from "@/lib/server/audit";
import { rotateEgressAuthority } from "@/lib/server/egress-authority";

async function main(): Promise<void> {
  const booted = await bootConsole(loadEnv());
  try {
    const { retiredId, currentId } = await rotateEgressAuthority(SYSTEM_CONTEXT);
    console.log(retiredId ? `Retired egress CA ${retiredId}; egress CA ${currentId} now signs.` : `Created egress CA ${currentId}.`);
    console.log("Runtimes in egress mode must fetch their runtime settings again (POST /v1/sessions/{id}/runtime) to trust it.");
  } finally {
    await booted.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`egress:rotate-ca failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
