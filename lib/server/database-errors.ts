import { z } from "zod";
import { ConsoleError, invalidField } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { MULTIPLE_LLM_VAULTS_MESSAGE } from "@/lib/validation/sessions";

// The database's own refusals, as both edges report them (lib/api/respond.ts for /v1, the action
// helper for forms). Services check their rules under row locks and refuse with the values at hand;
// a constraint that still fires means a request raced past such a check, or a path has none. Here,
// in one place, it becomes the 4xx it stands for rather than a 500.

function fieldConflict(field: string, message: string): ConsoleError {
  return new ConsoleError("conflict_error", `${field}: ${message}`, { field });
}

/** Unique indexes, by the names the migrations gave them: the field each guards, and what to do. */
const UNIQUE_INDEXES: Record<string, () => ConsoleError> = {
  users_email_key: () => fieldConflict("email", "this address already has an account"),
  vault_credentials_vault_id_active_mcp_server_url_key_key: () =>
    fieldConflict(
      "auth.mcp_server_url",
      "another active credential in this vault has this mcp_server_url; list the vault's credentials, then rotate its token or archive it first",
    ),
  vault_credentials_vault_id_active_secret_name_key: () =>
    fieldConflict(
      "auth.secret_name",
      "another active credential in this vault has this secret_name; list the vault's credentials, then rotate its value or archive it first",
    ),
  vault_credentials_vault_id_active_llm_slot_key: () =>
    new ConsoleError("conflict_error", "This LLM vault already has its one active credential; rotate that credential's token or archive it first"),
  // SPEC §5 answers a second LLM vault with this 400, whichever way the request lost the race.
  session_vaults_session_id_llm_slot_key: () =>
    invalidField("vault_ids", `${MULTIPLE_LLM_VAULTS_MESSAGE} (a concurrent change attached another LLM vault; retrieve the session and retry)`),
};

/** Foreign keys that request input fills: the field that named the row, and what the row is. */
const FOREIGN_KEYS: Record<string, { field: string; target: string }> = {
  sessions_agent_id_fkey: { field: "agent", target: "agent" },
  sessions_environment_id_fkey: { field: "environment_id", target: "environment" },
  session_vaults_vault_id_fkey: { field: "vault_ids", target: "vault" },
  api_keys_environment_id_fkey: { field: "environment_id", target: "environment" },
  api_key_sessions_session_id_fkey: { field: "session_ids", target: "session" },
  vault_credentials_vault_id_fkey: { field: "vault_id", target: "vault" },
};

function uniqueViolation(constraint: string | undefined): ConsoleError {
  const known = constraint ? UNIQUE_INDEXES[constraint] : undefined;
  return known ? known() : new ConsoleError("conflict_error", "A concurrent request wrote the same record first; retrieve the current state and retry");
}

/** An insert or update named a row that does not exist (any more): 404 on the field that named it. */
function missingReference(constraint: string | undefined): ConsoleError {
  const key = constraint ? FOREIGN_KEYS[constraint] : undefined;
  if (!key) return new ConsoleError("not_found_error", "A record this request refers to was not found; it may just have been deleted");
  return new ConsoleError("not_found_error", `${key.field}: names a ${key.target} that was not found; it may just have been deleted`, {
    field: key.field,
  });
}

/** A delete (ON DELETE RESTRICT) of a row that others still refer to: 409. */
function stillReferenced(constraint: string | undefined): ConsoleError {
  const key = constraint ? FOREIGN_KEYS[constraint] : undefined;
  const what = key ? `This ${key.target}` : "This record";
  return new ConsoleError("conflict_error", `${what} is still in use (a concurrent request just started using it); retrieve it and retry`);
}

/** What Prisma's driver adapters (PGlite and pg alike) report under `meta` for a failed statement. */
const adapterFailure = z.object({
  driverAdapterError: z.object({
    cause: z.object({
      /** The SQLSTATE. */
      originalCode: z.string().optional(),
      originalMessage: z.string().optional(),
      constraint: z.object({ index: z.string().optional() }).optional(),
    }),
  }),
});

/** P2025's `meta`: the model it looked for (`model` on a nested connect). */
const recordNotFound = z.object({ modelName: z.string().optional(), model: z.string().optional() });

function constraintOf(cause: z.output<typeof adapterFailure>["driverAdapterError"]["cause"]): string | undefined {
  // pg names the constraint; the PGlite adapter gives the columns, but its message names it too.
  return cause.constraint?.index ?? cause.originalMessage?.match(/constraint "([^"]+)"/)?.[1];
}

/** `VaultCredential` → `vault credential`. */
function modelWords(model: string): string {
  return model.replace(/(?<!^)([A-Z])/g, " $1").toLowerCase();
}

/**
 * What a caller may be told about `error`: a ConsoleError as thrown; a database refusal (unique
 * index, foreign key, record not found) as the 4xx it stands for; anything else null — a bug, to be
 * logged with describeForLog and answered with a generic 500.
 */
export function toConsoleError(error: unknown): ConsoleError | null {
  if (error instanceof ConsoleError) return error;
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) {
    const driver = driverFailure.safeParse(error);
    return driver.success ? refusalFor(driver.data.code, driver.data.constraint ?? driver.data.message.match(/constraint "([^"]+)"/)?.[1]) : null;
  }
  if (error.code === "P2025") {
    const meta = recordNotFound.safeParse(error.meta);
    const model = meta.success ? (meta.data.model ?? meta.data.modelName) : undefined;
    return new ConsoleError("not_found_error", `The ${model ? modelWords(model) : "record"} was not found; it may just have been deleted`);
  }
  const failure = adapterFailure.safeParse(error.meta);
  if (!failure.success) return null;
  const { cause } = failure.data.driverAdapterError;
  return cause.originalCode ? refusalFor(cause.originalCode, constraintOf(cause)) : null;
}

/**
 * What the drivers themselves throw (pg and PGlite alike) for the prepared statements on the hot
 * paths (lib/open-database.ts), which bypass Prisma: the SQLSTATE and, from pg, the constraint.
 */
const driverFailure = z.object({ code: z.string().regex(/^[0-9A-Z]{5}$/), constraint: z.string().optional(), message: z.string() });

function refusalFor(sqlState: string, constraint: string | undefined): ConsoleError | null {
  switch (sqlState) {
    case "23505":
      return uniqueViolation(constraint);
    case "23503":
      return missingReference(constraint);
    case "23001":
      return stillReferenced(constraint);
    default:
      return null;
  }
}
