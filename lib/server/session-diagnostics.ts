import "server-only";
import { z } from "zod";
import type { Vault, VaultCredential } from "@/lib/generated/prisma/client";
import { endpointBinding } from "@/lib/boundary/endpoint-binding";
import { NO_PRIVATE_ENDPOINTS, type PrivateEndpoints } from "@/lib/boundary/endpoint-policy";
import { howToLoadKey } from "@/lib/crypto/key-checks";
import { db } from "@/lib/instances";
import { readSessionReach } from "@/lib/server/egress-reach";
import { settings } from "@/lib/env";
import { keyring } from "@/lib/instances";
import { DIAGNOSTIC_CODES, type DiagnosticCheck, type DiagnosticCode, type LastSessionError, type SessionDiagnostics } from "@/lib/serializers/diagnostics";
import { storedMetadata } from "@/lib/validation/common";
import { llmBaseUrlOf, looksOpenAiCompatible, RESERVED_KEYS, SUPPORTED_ENGINE } from "@/lib/validation/reserved-metadata";

export type AttachedVault = Vault & { credentials: VaultCredential[] };

const ATTACH_FIX = "Attach the LLM vault in vault_ids when creating or updating the session";
const ONE_LLM_VAULT_FIX = `Keep exactly one vault with ${RESERVED_KEYS.role} = llm in vault_ids`;

const ARCHIVED_FIX = "Create a new LLM vault with the token and attach it instead (archived vaults cannot be restored)";

function check(code: DiagnosticCode, ok: boolean, message: string, fix: string): DiagnosticCheck {
  return { code, ok, message, fix: ok ? null : fix, skipped: false };
}

/**
 * A check blocked by an earlier failure (one failure per cause): it is listed and not ok, so
 * `ready` stays "every check ok", but `skipped` says it adds nothing new; its fix is the blocking one's.
 */
function skipped(code: DiagnosticCode, message: string, fix: string): DiagnosticCheck {
  return { code, ok: false, message, fix, skipped: true };
}

/** Every check after the ones already run, in order, blocked by the last failure among them. */
function skippedAfter(done: DiagnosticCheck[], message: string, fix: string): DiagnosticCheck[] {
  return DIAGNOSTIC_CODES.filter((code) => !done.some((entry) => entry.code === code)).map((code) => skipped(code, message, fix));
}

export interface DiagnoseOptions {
  /** Whether this process holds a master key (the keyring); every key by default. */
  isMasterKeyLoaded?: (keyId: string) => boolean;
  /** CONSOLE_PRIVATE_ENDPOINTS, as the boundary applies it; none by default. */
  privateEndpoints?: PrivateEndpoints;
}

/**
 * The checks behind "why would this session produce no LLM output" (SPEC §5), in the order a person
 * should fix them, one failure per cause: a check that cannot pass until an earlier one does is
 * `skipped` (still listed, still not ok, with the earlier check's fix) — the checks that need exactly
 * one LLM vault until there is one, everything after an archived LLM vault, and the credential's
 * shape until there is a credential.
 */
export function diagnoseVaults(vaults: AttachedVault[], options: DiagnoseOptions = {}): DiagnosticCheck[] {
  const { isMasterKeyLoaded = () => true, privateEndpoints = NO_PRIVATE_ENDPOINTS } = options;
  const llmVaults = vaults.filter((vault) => vault.kind === "llm");
  const vault = llmVaults.length === 1 ? llmVaults[0] : undefined;
  const checks: DiagnosticCheck[] = [
    check(
      "no_llm_vault",
      llmVaults.length > 0,
      llmVaults.length > 0 ? "An LLM vault is attached" : "No LLM vault is attached, so the session has no model credential",
      ATTACH_FIX,
    ),
    check(
      "multiple_llm_vaults",
      llmVaults.length <= 1,
      llmVaults.length <= 1
        ? "At most one LLM vault is attached"
        : `${llmVaults.length} LLM vaults are attached (${llmVaults.map((each) => each.id).join(", ")})`,
      ONE_LLM_VAULT_FIX,
    ),
  ];
  if (!vault) {
    const fix = llmVaults.length === 0 ? ATTACH_FIX : ONE_LLM_VAULT_FIX;
    return [...checks, ...skippedAfter(checks, "Not checked until exactly one LLM vault is attached", fix)];
  }

  const metadata = storedMetadata(vault.metadata);
  const engine = metadata[RESERVED_KEYS.engine];
  const active = vault.credentials.filter((credential) => credential.archivedAt === null);
  const credential = active.length === 1 ? active[0] : undefined;
  const baseUrl = llmBaseUrlOf(metadata).url;
  const openAiShaped = URL.canParse(baseUrl) && looksOpenAiCompatible(new URL(baseUrl));
  const replaceFix = `Create a new credential in ${vault.id} as an unbound static_bearer token, then archive the old one`;

  const addTokenFix = `Add the model token to ${vault.id} as a static_bearer credential without mcp_server_url`;
  checks.push(
    check(
      "engine_mismatch",
      engine === SUPPORTED_ENGINE,
      engine === SUPPORTED_ENGINE ? `Engine is ${SUPPORTED_ENGINE}` : `Engine is ${JSON.stringify(engine ?? null)}, not ${SUPPORTED_ENGINE}`,
      `Set ${RESERVED_KEYS.engine} = ${SUPPORTED_ENGINE} on ${vault.id}`,
    ),
    check(
      "llm_vault_archived",
      vault.archivedAt === null,
      vault.archivedAt === null ? `LLM vault ${vault.id} is active` : `LLM vault ${vault.id} is archived and its token was destroyed`,
      ARCHIVED_FIX,
    ),
  );
  if (vault.archivedAt !== null) {
    // Archiving purged the token and the vault is read-only: whatever else is wrong with it, the one
    // fix is another vault, so the checks of its credential and endpoint wait on that one.
    return [...checks, ...skippedAfter(checks, "Not checked: the LLM vault is archived (llm_vault_archived)", ARCHIVED_FIX)];
  }
  checks.push(
    check(
      "no_active_credential",
      credential !== undefined,
      credential ? `LLM vault holds one active credential (${credential.id})` : `LLM vault ${vault.id} holds no active credential`,
      addTokenFix,
    ),
  );
  if (credential) {
    checks.push(
      check(
        "credential_not_static_bearer",
        credential.authType === "static_bearer",
        credential.authType === "static_bearer" ? "The credential is a static bearer token" : `The credential is ${credential.authType}, not static_bearer`,
        replaceFix,
      ),
      check(
        "credential_has_mcp_server_url",
        credential.mcpServerUrl === null,
        credential.mcpServerUrl === null ? "The credential is not bound to an MCP server" : "The credential has an mcp_server_url, so it is an MCP credential",
        replaceFix,
      ),
    );
  } else {
    // One missing token is one failure: the checks of the credential's shape wait on it.
    const waiting = "Not checked until the LLM vault holds a token (no_active_credential)";
    checks.push(skipped("credential_not_static_bearer", waiting, addTokenFix), skipped("credential_has_mcp_server_url", waiting, addTokenFix));
  }
  checks.push(
    check(
      "openai_compatible_endpoint",
      !openAiShaped,
      openAiShaped ? `${baseUrl} looks like an OpenAI-compatible endpoint` : `Model endpoint is ${baseUrl}`,
      `Point ${RESERVED_KEYS.llmBaseUrl} at an Anthropic-compatible endpoint, or remove it to use https://api.anthropic.com`,
    ),
    endpointCheck(vault, credential, privateEndpoints),
    masterKeyCheck(credential, isMasterKeyLoaded),
  );
  return checks;
}

/**
 * The boundary's own decision (lib/boundary/endpoint-binding.ts), so a session is not ready while
 * every model call would get 409 endpoint_refused or endpoint_not_bound: a vault stored before the
 * endpoint policy (say http://localhost), an allow list since narrowed, or a token stored before
 * binding. It comes before the master key check: its fixes (add the token again, or rotate it)
 * also seal the token under this process's current key.
 */
function endpointCheck(vault: AttachedVault, credential: VaultCredential | undefined, privateEndpoints: PrivateEndpoints): DiagnosticCheck {
  const binding = endpointBinding(vault.metadata, privateEndpoints, credential);
  if (binding.ok) {
    return check(
      "llm_endpoint_refused",
      true,
      credential
        ? `The endpoint policy allows ${binding.url.origin}, and credential ${credential.id} is bound to it`
        : `The endpoint policy allows ${binding.url.origin}`,
      "",
    );
  }
  const changeEndpoint = credential
    ? `archive credential ${credential.id}, point ${RESERVED_KEYS.llmBaseUrl} of ${vault.id} at a public https endpoint, then add the token again`
    : `point ${RESERVED_KEYS.llmBaseUrl} of ${vault.id} at a public https endpoint`;
  if (binding.code === "endpoint_refused") {
    const { host } = binding;
    return check(
      "llm_endpoint_refused",
      false,
      `The console will not send the token to ${binding.baseUrl}: ${RESERVED_KEYS.llmBaseUrl} ${binding.problem}`,
      host
        ? `Operators: list ${host} in CONSOLE_PRIVATE_ENDPOINTS on every console process and restart them; or change the endpoint: ${changeEndpoint}`
        : `Change the endpoint: ${changeEndpoint}`,
    );
  }
  const id = credential?.id ?? "the credential";
  return check(
    "llm_endpoint_refused",
    false,
    `Credential ${id} was stored for ${binding.boundOrigin ?? "no endpoint (before tokens were bound to one)"}, not for ${binding.currentOrigin}, which ${vault.id} names now`,
    `Rotate credential ${id}'s token (update it with the token) to bind it to ${binding.currentOrigin}, or archive it and add the token again`,
  );
}

/**
 * During a rolling master key rotation another process may seal the token under a key this one
 * has not loaded yet: the boundary here would answer 503, so the session is not ready here.
 */
function masterKeyCheck(credential: VaultCredential | undefined, isMasterKeyLoaded: (keyId: string) => boolean): DiagnosticCheck {
  const keyId = credential?.secretKeyId;
  const loaded = !keyId || isMasterKeyLoaded(keyId);
  return check(
    "master_key_missing",
    loaded,
    loaded
      ? keyId
        ? `The credential's master key ${keyId} is loaded`
        : "No sealed credential to open"
      : `Credential ${credential?.id} is sealed under master key ${keyId}, which this console process has not loaded`,
    `Operators, for master key ${keyId}: ${howToLoadKey()}`,
  );
}

export async function getSessionDiagnostics(sessionId: string): Promise<SessionDiagnostics> {
  const reach = await readSessionReach(sessionId);
  const checks = readinessChecksOf(reach.vaults.map((link) => link.vault));
  return { sessionId, ready: checks.every((entry) => entry.ok), checks, lastError: await lastSessionError(sessionId) };
}

/** The readiness checks of a session's attached vaults, against the keys and settings of this process. */
export function readinessChecksOf(vaults: AttachedVault[]): SessionDiagnostics["checks"] {
  return diagnoseVaults(vaults, {
    isMasterKeyLoaded: (keyId) => keyring().byId.has(keyId),
    privateEndpoints: settings().CONSOLE_PRIVATE_ENDPOINTS,
  });
}

/** The part of a stored session.error payload diagnostics show (recorded by lib/server/run-lifecycle.ts or a runner). */
const storedSessionErrorSchema = z.object({ error: z.object({ type: z.string(), message: z.string() }) });

/** The session's latest session.error event, read back from its stored payload. */
async function lastSessionError(sessionId: string): Promise<LastSessionError | null> {
  const event = await db().sessionEvent.findFirst({ where: { sessionId, type: "session.error" }, orderBy: { seq: "desc" } });
  if (!event) return null;
  const stored = storedSessionErrorSchema.safeParse(event.payload);
  const error = stored.success ? stored.data.error : { type: "unknown_error", message: "The error was stored in a shape this console does not read" };
  return { eventId: event.id, type: error.type, message: error.message, at: event.createdAt };
}
