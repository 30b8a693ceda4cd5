import "server-only";
import type { Prisma, Vault, VaultCredential } from "@/lib/generated/prisma/client";
import { tokenHint } from "@/lib/crypto/token-hint";
import { db, preparedQuery } from "@/lib/instances";
import type { PreparedStatement } from "@/lib/open-database";
import { ConsoleError, conflict, invalidField, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { auditColumns, recordAudit, type RequestContext } from "@/lib/server/audit";
import { sealChanges, sealNew, type SecretChanges, type SecretField } from "@/lib/server/credential-secrets";
import { keysetPageArgs, pageOf, type KeysetPage } from "@/lib/server/keyset-pages";
import { transaction } from "@/lib/server/transaction";
import { purgedCredentialFields } from "@/lib/server/vault-rows";
import type { EnvironmentVariablePublic, McpOauthPublic, StaticBearerPublic } from "@/lib/serializers/credentials";
import type { CredentialAuthCreateInput, CredentialAuthUpdateInput, CredentialCreateInput, CredentialUpdateInput } from "@/lib/validation/credentials";
import { canonicalUrl, httpUrlProblem, patchStoredMetadata, storedMetadata } from "@/lib/validation/common";
import { llmEndpointOriginOf } from "@/lib/validation/reserved-metadata";
import type { ListOptions } from "@/lib/validation/pagination";

export const ACTIVE_CREDENTIALS_PER_VAULT_MAX = 20;

interface CreatePlan {
  authType: CredentialAuthCreateInput["type"];
  authPublic: StaticBearerPublic | McpOauthPublic | EnvironmentVariablePublic;
  mcpServerUrl: string | null;
  secretName: string | null;
  secrets: SecretChanges & { secret: string };
}

const LLM_VAULT_AUTH = "an LLM vault holds only a static_bearer token without mcp_server_url";

function checkedMcpServerUrl(url: string): string {
  const problem = httpUrlProblem(url);
  if (problem) throw invalidField("auth.mcp_server_url", problem);
  return url;
}

function checkFuture(field: string, timestamp: string, now: Date): string {
  if (new Date(timestamp).getTime() <= now.getTime()) throw invalidField(field, "must be in the future");
  return new Date(timestamp).toISOString();
}

/** Applies the vault's kind to the requested auth (SPEC section 4) and splits secret from public. */
function planCreate(kind: Vault["kind"], auth: CredentialAuthCreateInput, now: Date): CreatePlan {
  const isLlmVault = kind === "llm";
  if (isLlmVault && auth.type !== "static_bearer") throw invalidField("auth.type", `${JSON.stringify(auth.type)} is not allowed: ${LLM_VAULT_AUTH}`);

  switch (auth.type) {
    case "static_bearer": {
      const url = auth.mcp_server_url ?? "";
      if (isLlmVault && url !== "") {
        throw invalidField("auth.mcp_server_url", "remove mcp_server_url from the LLM credential; it is for MCP credentials");
      }
      if (!isLlmVault && kind === null && url === "") {
        throw invalidField("auth.mcp_server_url", "is required: the URL of the MCP server this token authenticates against");
      }
      const mcpServerUrl = url === "" ? null : checkedMcpServerUrl(url);
      return {
        authType: auth.type,
        authPublic: { mcp_server_url: mcpServerUrl },
        mcpServerUrl,
        secretName: null,
        secrets: { secret: auth.token },
      };
    }
    case "mcp_oauth": {
      const refresh = auth.refresh ?? null;
      return {
        authType: auth.type,
        authPublic: {
          mcp_server_url: auth.mcp_server_url,
          expires_at: auth.expires_at ? checkFuture("auth.expires_at", auth.expires_at, now) : null,
          refresh: refresh && {
            client_id: refresh.client_id,
            token_endpoint: refresh.token_endpoint,
            token_endpoint_auth: { type: refresh.token_endpoint_auth.type },
            scope: refresh.scope ?? null,
            resource: refresh.resource ?? null,
          },
        },
        mcpServerUrl: auth.mcp_server_url,
        secretName: null,
        secrets: {
          secret: auth.access_token,
          refresh_token: refresh?.refresh_token ?? null,
          client_secret: refresh && refresh.token_endpoint_auth.type !== "none" ? refresh.token_endpoint_auth.client_secret : null,
        },
      };
    }
    case "environment_variable": {
      const injection = auth.injection_location ?? { header: true };
      const injectionLocation = { header: injection.header ?? false, body: injection.body ?? false };
      if (!injectionLocation.header && !injectionLocation.body) {
        throw invalidField("auth.injection_location", "at least one of header or body must be true");
      }
      return {
        authType: auth.type,
        authPublic: { secret_name: auth.secret_name, networking: auth.networking, injection_location: injectionLocation },
        mcpServerUrl: null,
        secretName: auth.secret_name,
        secrets: { secret: auth.secret_value },
      };
    }
  }
}

/** The vault as the create plans from it: read without a lock, checked again under it by the statement. */
interface VaultForCreate {
  role: Vault["kind"];
  metadata: Prisma.JsonValue;
  archived: boolean;
}

const READ_VAULT_FOR_CREATE: PreparedStatement = {
  name: "credentials_vault_for_create",
  text: "SELECT role::text AS role, metadata, archived_at IS NOT NULL AS archived FROM vaults WHERE id = $1",
};

/** See the create_vault_credential migration: the rules under the vault's lock, both inserts, one statement. */
const CREATE_CREDENTIAL: PreparedStatement = {
  name: "credentials_create",
  text: "SELECT create_vault_credential($1::jsonb) AS answer",
};

type CreateAnswer =
  | { outcome: "created"; seq: string }
  | { outcome: "vault_changed" }
  | { outcome: "vault_missing" | "vault_archived" | "cap_reached" }
  | { outcome: "llm_taken" | "mcp_server_url_taken" | "secret_name_taken"; holder_id: string; holder_name: string | null };

/** A vault that keeps changing under a create (its LLM endpoint edited each time) is a conflict after this many plans. */
const CREATE_PLANS_MAX = 3;

function hex(bytes: Uint8Array | null): string | null {
  return bytes && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

function archivedVault(vaultId: string): ConsoleError {
  return conflict(`Vault ${vaultId} is archived; an archived vault takes no new credentials`);
}

/** The refusal the statement answered, in the words the service has always used. */
function refusal(vaultId: string, plan: CreatePlan, answer: Exclude<CreateAnswer, { outcome: "created" | "vault_changed" }>): ConsoleError {
  switch (answer.outcome) {
    case "vault_missing":
      return notFound("Vault", vaultId);
    case "vault_archived":
      return archivedVault(vaultId);
    case "llm_taken":
      return conflict(
        `LLM vault ${vaultId} already has an active credential (${answer.holder_id}); an LLM vault holds exactly one. ` +
          "Rotate the existing credential's token or archive it first.",
      );
    case "cap_reached":
      return conflict(`Vault ${vaultId} already has ${ACTIVE_CREDENTIALS_PER_VAULT_MAX} active credentials, the maximum; archive one first`);
    case "mcp_server_url_taken":
      return slotTaken(vaultId, answer, "mcp_server_url", plan.mcpServerUrl, "token");
    case "secret_name_taken":
      return slotTaken(vaultId, answer, "secret_name", plan.secretName, "value");
  }
}

/** A URL or secret name another active credential holds; the field and the holder travel as details too, so a form can say it beside the field by name. */
function slotTaken(
  vaultId: string,
  holder: { holder_id: string; holder_name: string | null },
  field: "mcp_server_url" | "secret_name",
  value: string | null,
  secretWord: "token" | "value",
): ConsoleError {
  return new ConsoleError(
    "conflict_error",
    `Vault ${vaultId} already has an active credential for ${field} ${value} (${holder.holder_id}); rotate its ${secretWord} or archive it first`,
    {
      field: `auth.${field}`,
      details: { error_code: `${field}_taken`, credential_id: holder.holder_id, credential_name: holder.holder_name },
    },
  );
}

/**
 * Creates a credential in two statements and no interactive transaction: a read of the vault to
 * plan from (its kind says which auth it takes; an LLM vault's metadata names the endpoint the token
 * is bound to), then create_vault_credential, which takes the vault's row lock and checks every rule
 * against what holds under it (archived, the LLM vault's one credential, the cap, a taken URL or
 * secret name) before inserting the credential and its audit entry together. A vault that changed
 * between the two is planned again.
 */
export async function createCredential(vaultId: string, input: CredentialCreateInput, context: RequestContext): Promise<VaultCredential> {
  for (let attempt = 1; ; attempt++) {
    const [vault] = await preparedQuery()<VaultForCreate>(READ_VAULT_FOR_CREATE, [vaultId]);
    if (!vault) throw notFound("Vault", vaultId);
    if (vault.archived) throw archivedVault(vaultId);
    const now = new Date();
    const plan = planCreate(vault.role, input.auth, now);
    const id = newId("vcrd");
    const sealed = sealNew(id, plan.secrets);
    const credential: VaultCredential = {
      id,
      seq: 0n,
      vaultId,
      displayName: input.display_name ?? null,
      metadata: input.metadata ?? {},
      authType: plan.authType,
      authPublic: { ...plan.authPublic },
      mcpServerUrl: plan.mcpServerUrl,
      secretName: plan.secretName,
      activeMcpServerUrlKey: plan.mcpServerUrl && canonicalUrl(plan.mcpServerUrl),
      activeSecretName: plan.secretName,
      activeLlmSlot: vault.role === "llm" ? true : null,
      // Checked under the vault's row lock, which an endpoint change takes too: the token is
      // stored for the endpoint the vault names at this moment, and only ever sent there.
      endpointOrigin: vault.role === "llm" ? llmEndpointOriginOf(storedMetadata(vault.metadata)) : null,
      tokenHint: tokenHint(plan.secrets.secret),
      ...sealed,
      createdAt: now,
      updatedAt: now,
      archivedAt: null,
      active: true,
    };
    const [row] = await preparedQuery()<{ answer: CreateAnswer }>(CREATE_CREDENTIAL, [
      JSON.stringify({
        vault_id: vaultId,
        vault_kind: vault.role,
        vault_metadata: vault.metadata,
        active_max: ACTIVE_CREDENTIALS_PER_VAULT_MAX,
        id,
        display_name: credential.displayName,
        metadata: credential.metadata,
        auth_type: credential.authType,
        auth_public: credential.authPublic,
        mcp_server_url: credential.mcpServerUrl,
        secret_name: credential.secretName,
        active_mcp_server_url_key: credential.activeMcpServerUrlKey,
        active_secret_name: credential.activeSecretName,
        active_llm_slot: credential.activeLlmSlot,
        endpoint_origin: credential.endpointOrigin,
        token_hint: credential.tokenHint,
        secret_ciphertext: hex(sealed.secretCiphertext),
        refresh_token_ciphertext: hex(sealed.refreshTokenCiphertext),
        client_secret_ciphertext: hex(sealed.clientSecretCiphertext),
        secret_key_id: sealed.secretKeyId,
        created_at: now.toISOString(),
        audit: auditColumns(context, {
          action: "vault_credential.create",
          resourceType: "vault_credential",
          resourceId: id,
          details: { vault_id: vaultId, auth_type: plan.authType },
        }),
      }),
    ]);
    const answer = row?.answer;
    if (!answer) throw new Error("create_vault_credential answered nothing");
    if (answer.outcome === "created") return { ...credential, seq: BigInt(answer.seq) };
    if (answer.outcome !== "vault_changed") throw refusal(vaultId, plan, answer);
    if (attempt >= CREATE_PLANS_MAX) throw conflict(`Vault ${vaultId} changed while the credential was being created; try again`);
  }
}

async function lockCredential(tx: Prisma.TransactionClient, vaultId: string, credentialId: string): Promise<VaultCredential> {
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM vault_credentials WHERE id = ${credentialId} AND vault_id = ${vaultId} FOR UPDATE`;
  const credential = locked.length > 0 ? await tx.vaultCredential.findUnique({ where: { id: credentialId } }) : null;
  if (!credential) throw notFound("Credential", credentialId);
  return credential;
}

export async function getCredential(vaultId: string, credentialId: string): Promise<VaultCredential> {
  const credential = await db().vaultCredential.findFirst({ where: { id: credentialId, vaultId } });
  if (!credential) throw notFound("Credential", credentialId);
  return credential;
}

export async function listCredentials(vaultId: string, options: ListOptions): Promise<KeysetPage<VaultCredential>> {
  const scope = `credentials.${vaultId}`;
  const page = keysetPageArgs(options, scope);
  const vault = await db().vault.findUnique({ where: { id: vaultId }, select: { id: true } });
  if (!vault) throw notFound("Vault", vaultId);
  const rows = await db().vaultCredential.findMany({ ...page, where: { ...page.where, vaultId } });
  return pageOf(rows, options.limit, scope);
}

interface AuthUpdatePlan {
  authPublic?: StaticBearerPublic | McpOauthPublic | EnvironmentVariablePublic;
  secrets: SecretChanges;
  changedFields: string[];
}

/** Rotates secrets and updates the mutable, non-secret auth settings of an existing credential. */
function planAuthUpdate(credential: VaultCredential, auth: CredentialAuthUpdateInput, now: Date): AuthUpdatePlan {
  if (auth.type !== credential.authType) {
    throw invalidField("auth.type", `cannot change after create (this credential is ${credential.authType}); create a new credential instead`);
  }
  const changedFields: string[] = [];
  const secrets: SecretChanges = {};
  const rotate = (field: SecretField, value: string | null | undefined, name: string) => {
    if (value == null) return;
    secrets[field] = value;
    changedFields.push(name);
  };
  switch (auth.type) {
    case "static_bearer": {
      rotate("secret", auth.token, "token");
      return { secrets, changedFields };
    }
    case "mcp_oauth": {
      const current = credential.authPublic as McpOauthPublic;
      const next: McpOauthPublic = { ...current };
      rotate("secret", auth.access_token, "access_token");
      if (auth.expires_at !== undefined) {
        next.expires_at = auth.expires_at === null ? null : checkFuture("auth.expires_at", auth.expires_at, now);
        changedFields.push("expires_at");
      }
      if (auth.refresh === null) {
        next.refresh = null;
        secrets.refresh_token = null;
        secrets.client_secret = null;
        changedFields.push("refresh");
      } else if (auth.refresh) {
        if (!current.refresh) {
          throw invalidField("auth.refresh", "this credential has no refresh settings to update; create a new credential with refresh instead");
        }
        const refresh = { ...current.refresh };
        rotate("refresh_token", auth.refresh.refresh_token, "refresh.refresh_token");
        if (auth.refresh.scope !== undefined) {
          refresh.scope = auth.refresh.scope || null;
          changedFields.push("refresh.scope");
        }
        const clientSecret = auth.refresh.token_endpoint_auth?.client_secret;
        if (clientSecret != null && refresh.token_endpoint_auth.type === "none") {
          throw invalidField(
            "auth.refresh.token_endpoint_auth",
            "this credential's token endpoint uses no client authentication, so it has no client_secret to rotate",
          );
        }
        // The stored token_endpoint_auth type is kept even if the other secret-bearing type is sent.
        rotate("client_secret", clientSecret, "refresh.token_endpoint_auth.client_secret");
        next.refresh = refresh;
      }
      return { authPublic: next, secrets, changedFields };
    }
    case "environment_variable": {
      const current = credential.authPublic as EnvironmentVariablePublic;
      const next: EnvironmentVariablePublic = { ...current };
      rotate("secret", auth.secret_value, "secret_value");
      if (auth.networking) {
        next.networking = auth.networking;
        changedFields.push("networking");
      }
      if (auth.injection_location) {
        next.injection_location = {
          header: auth.injection_location.header ?? current.injection_location.header,
          body: auth.injection_location.body ?? current.injection_location.body,
        };
        if (!next.injection_location.header && !next.injection_location.body) {
          throw invalidField("auth.injection_location", "at least one of header or body must be true");
        }
        changedFields.push("injection_location");
      }
      return { authPublic: next, secrets, changedFields };
    }
  }
}

async function currentEndpointOrigin(tx: Prisma.TransactionClient, vaultId: string): Promise<string | null> {
  const vault = await tx.vault.findUniqueOrThrow({ where: { id: vaultId }, select: { metadata: true } });
  return llmEndpointOriginOf(storedMetadata(vault.metadata));
}

export async function updateCredential(vaultId: string, credentialId: string, input: CredentialUpdateInput, context: RequestContext): Promise<VaultCredential> {
  return transaction(async (tx) => {
    const credential = await lockCredential(tx, vaultId, credentialId);
    if (credential.archivedAt) throw conflict(`Credential ${credentialId} is archived; its secret was destroyed. Create a new credential instead`);
    const now = new Date();
    const metadata = patchStoredMetadata(credential.metadata, input.metadata);

    const plan = input.auth ? planAuthUpdate(credential, input.auth, now) : { secrets: {}, changedFields: [] };
    const rotated = Object.keys(plan.secrets).length > 0;
    // A new LLM token is stored for the endpoint the vault names now (its endpoint cannot change
    // while this credential is active), which also binds a token stored before binding existed.
    const rebound = rotated && credential.activeLlmSlot ? { endpointOrigin: await currentEndpointOrigin(tx, vaultId) } : {};
    const updated = await tx.vaultCredential.update({
      where: { id: credentialId },
      data: {
        ...(input.display_name !== undefined ? { displayName: input.display_name } : {}),
        metadata,
        ...(plan.authPublic ? { authPublic: { ...plan.authPublic } } : {}),
        ...(rotated ? sealChanges(credentialId, plan.secrets, credential) : {}),
        ...(plan.secrets.secret ? { tokenHint: tokenHint(plan.secrets.secret) } : {}),
        ...rebound,
        updatedAt: now,
      },
    });
    await recordAudit(tx, context, {
      action: rotated ? "vault_credential.rotate" : "vault_credential.update",
      resourceType: "vault_credential",
      resourceId: credentialId,
      details: { vault_id: vaultId, auth_fields_changed: plan.changedFields, metadata_keys_changed: Object.keys(input.metadata ?? {}) },
    });
    return updated;
  });
}

/** Archives the credential: its secret is destroyed, its URL/name slot freed, the record kept. */
export async function archiveCredential(vaultId: string, credentialId: string, context: RequestContext): Promise<VaultCredential> {
  return transaction(async (tx) => {
    const credential = await lockCredential(tx, vaultId, credentialId);
    if (credential.archivedAt) return credential;
    const archived = await tx.vaultCredential.update({ where: { id: credentialId }, data: purgedCredentialFields(new Date()) });
    await recordAudit(tx, context, {
      action: "vault_credential.archive",
      resourceType: "vault_credential",
      resourceId: credentialId,
      details: { vault_id: vaultId },
    });
    return archived;
  });
}

export async function deleteCredential(vaultId: string, credentialId: string, context: RequestContext): Promise<void> {
  await transaction(async (tx) => {
    await lockCredential(tx, vaultId, credentialId);
    await tx.vaultCredential.delete({ where: { id: credentialId } });
    await recordAudit(tx, context, {
      action: "vault_credential.delete",
      resourceType: "vault_credential",
      resourceId: credentialId,
      details: { vault_id: vaultId },
    });
  });
}
