"use server";

import { DENY_MESSAGE_MAX, EVENT_TEXT_MAX } from "@/lib/validation/session-events";
import { z } from "zod";
import { buttonAction, formAction, idAction, typedDeleteAction } from "@/lib/actions/action";
import { fieldErrorState, formText, type FormState } from "@/lib/forms/form-state";
import { metadataFieldRenamer, metadataFormReading, metadataFromRows, metadataPatchFromRows, type MetadataRow } from "@/lib/forms/metadata-rows";
import type { ConsoleError } from "@/lib/errors";
import { serializeSessionEvent } from "@/lib/serializers/session-events";
import { sendUserEvents, type StoredSessionEvent } from "@/lib/server/session-events";
import { agentOptions, environmentOptions, llmVaultOptions, otherVaultOptions } from "@/lib/server/session-form-options";
import { PICKER_PAGE } from "@/lib/forms/session-form-types";
import { archiveSession, createSession, deleteSession, getSession, updateSession } from "@/lib/server/sessions";
import { storedMetadata } from "@/lib/validation/common";
import { sessionCreateSchema, sessionUpdateSchema } from "@/lib/validation/sessions";

/**
 * The form's vault pickers as the API's `vault_ids`: the LLM vault picked in the radio group (one
 * or none) first, then the other vaults ticked. The service still enforces "at most one LLM vault",
 * so a forged form posting two gets the same refusal the SDK does.
 */
function readVaultIds(formData: FormData): string[] {
  const llmVaultId = formText(formData, "llm_vault_id");
  const others = formData.getAll("other_vault_ids").filter((value): value is string => typeof value === "string" && value !== "");
  return [...(llmVaultId ? [llmVaultId] : []), ...others];
}

function sessionField(rows: MetadataRow[]) {
  const metadataField = metadataFieldRenamer(rows);
  return (field: string): string => {
    if (field.startsWith("vault_ids")) return "vault_ids";
    if (field.startsWith("agent")) return "agent";
    return metadataField(field);
  };
}

/** Refusals about a vault, the agent or the environment go beside that picker, not above the form. */
function pickerRefusal(error: ConsoleError): FormState | null {
  if (error.field?.startsWith("vault_ids")) return fieldErrorState([{ field: "vault_ids", message: error.message.replace(/^vault_ids(\[\d+\])?: /, "") }]);
  if (error.field) return null;
  if (/^vault_ids\[\d+\]: /.test(error.message)) return fieldErrorState([{ field: "vault_ids", message: error.message.replace(/^vault_ids\[\d+\]: /, "") }]);
  if (/^Agent /.test(error.message)) return fieldErrorState([{ field: "agent", message: error.message }]);
  if (/^Environment /.test(error.message)) return fieldErrorState([{ field: "environment_id", message: error.message }]);
  return null;
}

function optionalTitle(formData: FormData): string | null {
  const title = formText(formData, "title").trim();
  return title === "" ? null : title;
}

export const createSessionAction = formAction(
  "write",
  sessionCreateSchema,
  (formData) =>
    metadataFormReading(
      formData,
      (rows) => ({
        agent: formText(formData, "agent"),
        environment_id: formText(formData, "environment_id"),
        title: optionalTitle(formData),
        metadata: metadataFromRows(rows),
        vault_ids: readVaultIds(formData),
      }),
      sessionField,
    ),
  (input, { context }) => createSession(input, context),
  { revalidate: ["/sessions"], redirect: (session) => `/sessions/${session.id}`, refusal: pickerRefusal },
);

/** Title, metadata and the attached vaults; the agent and environment are fixed when a session starts. */
export const updateSessionAction = formAction(
  "write",
  sessionUpdateSchema,
  async (formData) => {
    const sessionId = formText(formData, "session_id");
    const current = storedMetadata((await getSession(sessionId)).metadata);
    const input = (rows: MetadataRow[]) => ({
      title: optionalTitle(formData),
      metadata: metadataPatchFromRows(current, rows),
      vault_ids: readVaultIds(formData),
    });
    return { sessionId, ...metadataFormReading(formData, input, sessionField) };
  },
  (input, { context }, { sessionId }) => updateSession(sessionId, input, context),
  {
    revalidate: (_session, { sessionId }) => [`/sessions/${sessionId}`, "/sessions"],
    redirect: (_session, { sessionId }) => `/sessions/${sessionId}`,
    refusal: pickerRefusal,
  },
);

/**
 * The session form's pickers search as the person types: names containing the words, or the exact
 * id, one page of each. Reading is enough (they reveal what the list pages show anyway).
 */
const pickerQuery = z.object({ query: z.string().trim().max(255, "must be at most 255 characters") });
const asQuery = (query: string) => ({ query });
const pickerSearch = <T>(find: (query: string, limit: number) => Promise<T[]>) =>
  buttonAction("read", pickerQuery, asQuery, ({ query }) => find(query, PICKER_PAGE), { answer: (options: T[]) => ({ ok: true as const, options }) });

export const searchLlmVaultOptionsAction = pickerSearch(llmVaultOptions);
export const searchOtherVaultOptionsAction = pickerSearch(otherVaultOptions);
export const searchAgentOptionsAction = pickerSearch(agentOptions);
export const searchEnvironmentOptionsAction = pickerSearch(environmentOptions);

export const archiveSessionAction = idAction("write", archiveSession, (id) => [`/sessions/${id}`, "/sessions"]);

/** The typed id must match; nothing is looked up before it does. */
export const deleteSessionAction = typedDeleteAction(
  { noun: "session", part: "id", idField: "session_id", confirmField: "confirm_id", list: "/sessions" },
  async (id) => id,
  deleteSession,
);

/**
 * The conversation's three buttons (send, allow/deny, interrupt) post user events through the same
 * service as `POST /v1/sessions/{id}/events`, which validates them against the session's state. The
 * stored events come back, so the page shows them before the stream does (it dedupes by id).
 */

const sentEvents = (stored: StoredSessionEvent[]) => ({ ok: true as const, events: stored.map(serializeSessionEvent) });
const sessionPage = ({ sessionId }: { sessionId: string }) => [`/sessions/${sessionId}`];

export const sendSessionMessageAction = buttonAction(
  "write",
  z.object({
    sessionId: z.string(),
    message: z.string().trim().min(1, "must not be empty: type what the agent should do").max(EVENT_TEXT_MAX, `must be at most ${EVENT_TEXT_MAX} characters`),
  }),
  (sessionId: string, message: string) => ({ sessionId, message }),
  ({ sessionId, message }, { context }) => sendUserEvents(sessionId, [{ type: "user.message", content: [{ type: "text", text: message }] }], context),
  { revalidate: sessionPage, answer: sentEvents },
);

export const confirmToolUseAction = buttonAction(
  "write",
  z.object({
    sessionId: z.string(),
    toolUseId: z.string(),
    result: z.enum(["allow", "deny"]),
    denyMessage: z.string().trim().max(DENY_MESSAGE_MAX, `must be at most ${DENY_MESSAGE_MAX} characters`).nullable(),
  }),
  (sessionId: string, toolUseId: string, result: "allow" | "deny", denyMessage: string | null = null) => ({ sessionId, toolUseId, result, denyMessage }),
  ({ sessionId, toolUseId, result, denyMessage }, { context }) =>
    sendUserEvents(
      sessionId,
      // The contract allows a deny message on a denial only.
      [{ type: "user.tool_confirmation", tool_use_id: toolUseId, result, ...(result === "deny" && denyMessage ? { deny_message: denyMessage } : {}) }],
      context,
    ),
  { revalidate: sessionPage, answer: sentEvents },
);

export const interruptSessionAction = buttonAction(
  "write",
  z.object({ sessionId: z.string() }),
  (sessionId: string) => ({ sessionId }),
  ({ sessionId }, { context }) => sendUserEvents(sessionId, [{ type: "user.interrupt" }], context),
  { revalidate: sessionPage, answer: sentEvents },
);
