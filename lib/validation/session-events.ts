import { z } from "zod";
import { URL_MAX } from "@/lib/validation/common";
import { listQuerySchema } from "@/lib/validation/pagination";

/** The most events one `POST /v1/sessions/{id}/events` may carry. */
export const SEND_EVENTS_MAX = 50;
/** The longest text block (and plain-text document) a user event may carry. */
export const EVENT_TEXT_MAX = 100_000;
/** The contract's bound on `deny_message`. */
export const DENY_MESSAGE_MAX = 10_000;
const EVENT_ID_MAX = 128;
const MEDIA_TYPE_MAX = 255;
const DOCUMENT_FIELD_MAX = 10_000;

/** Input event types of the contract that this console's runs do not act on: refused, never stored. */
export const UNSUPPORTED_EVENT_TYPES = ["user.define_outcome", "user.tool_result", "system.message"] as const;

const text = (max: number) => z.string({ error: "must be a string" }).min(1, "must not be empty").max(max, `must be at most ${max} characters`);

// Base64 alphabet with optional padding; the body limit (1 MiB) bounds its size.
const base64Data = z
  .string({ error: "must be a string" })
  .min(1, "must not be empty")
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, "must be base64-encoded data");

const urlSource = z.strictObject({
  type: z.literal("url"),
  url: z.url({ protocol: /^https?$/, error: "must be an http or https URL" }).max(URL_MAX, `must be at most ${URL_MAX} characters`),
});

/** A Files API reference: the contract has it, this console has no Files API to resolve it. */
const fileSource = z.looseObject({ type: z.literal("file") }).superRefine((_source, context) => {
  context.addIssue({
    code: "custom",
    path: ["type"],
    message: 'file sources are not supported by this console (it has no Files API); send "base64", "url" or "text" data',
  });
});

const imageSource = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("base64"), media_type: text(MEDIA_TYPE_MAX), data: base64Data }),
  urlSource,
  fileSource,
]);

const documentSource = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("base64"), media_type: text(MEDIA_TYPE_MAX), data: base64Data }),
  z.strictObject({ type: z.literal("text"), media_type: z.literal("text/plain", { error: 'must be "text/plain"' }), data: text(EVENT_TEXT_MAX) }),
  urlSource,
  fileSource,
]);

const textBlock = z.strictObject({ type: z.literal("text"), text: text(EVENT_TEXT_MAX) });
const imageBlock = z.strictObject({ type: z.literal("image"), source: imageSource });
const documentBlock = z.strictObject({
  type: z.literal("document"),
  source: documentSource,
  title: text(DOCUMENT_FIELD_MAX).nullable().optional(),
  context: text(DOCUMENT_FIELD_MAX).nullable().optional(),
});

/** Text, image and document blocks: what a user message and a custom tool's result may hold. */
const contentBlock = z.discriminatedUnion("type", [textBlock, imageBlock, documentBlock]);

const userMessage = z.strictObject({
  type: z.literal("user.message"),
  content: z.array(contentBlock, { error: "must be an array of content blocks" }).min(1, "must hold at least one content block"),
});

const userInterrupt = z.strictObject({ type: z.literal("user.interrupt") });

const userToolConfirmation = z
  .strictObject({
    type: z.literal("user.tool_confirmation"),
    tool_use_id: text(EVENT_ID_MAX),
    result: z.enum(["allow", "deny"], { error: 'must be "allow" or "deny"' }),
    deny_message: text(DENY_MESSAGE_MAX).nullable().optional(),
  })
  .superRefine((event, context) => {
    if (event.result === "allow" && event.deny_message !== undefined && event.deny_message !== null) {
      context.addIssue({ code: "custom", path: ["deny_message"], message: 'is only allowed when result is "deny"' });
    }
  });

const userCustomToolResult = z.strictObject({
  type: z.literal("user.custom_tool_result"),
  custom_tool_use_id: text(EVENT_ID_MAX),
  content: z.array(contentBlock, { error: "must be an array of content blocks" }).optional(),
  is_error: z.boolean({ error: "must be a boolean" }).nullable().optional(),
});

const unsupportedEvent = z.looseObject({ type: z.enum(UNSUPPORTED_EVENT_TYPES) }).superRefine((event, context) => {
  context.addIssue({ code: "custom", path: ["type"], message: `${event.type} events are not supported by this console` });
});

export const SENDABLE_EVENT_TYPES = ["user.message", "user.interrupt", "user.tool_confirmation", "user.custom_tool_result"] as const;

const KNOWN_EVENT_TYPES: readonly string[] = [...SENDABLE_EVENT_TYPES, ...UNSUPPORTED_EVENT_TYPES];

// The type is checked first, so an unknown one is answered with the types this console accepts.
const inputEvent = z
  .looseObject({
    type: z
      .string()
      .refine((type) => KNOWN_EVENT_TYPES.includes(type), `must be one of ${SENDABLE_EVENT_TYPES.map((type) => JSON.stringify(type)).join(", ")}`),
  })
  .pipe(z.discriminatedUnion("type", [userMessage, userInterrupt, userToolConfirmation, userCustomToolResult, unsupportedEvent]));

export const sendEventsSchema = z.strictObject({
  events: z
    .array(inputEvent, { error: "must be an array of events" })
    .min(1, "must hold at least one event")
    .max(SEND_EVENTS_MAX, `must hold at most ${SEND_EVENTS_MAX} events`),
});

export type SendEventsInput = z.output<typeof sendEventsSchema>;
export type UserEventInput = SendEventsInput["events"][number];

export const sessionEventListQuerySchema = listQuerySchema.omit({ include_archived: true }).extend({
  order: z.enum(["asc", "desc"], { error: 'must be "asc" or "desc"' }).optional(),
  "types[]": z.array(text(64)).max(50, "must list at most 50 types").optional(),
});

export type SessionEventListQuery = z.output<typeof sessionEventListQuerySchema>;

/** The stream takes no query: the contract's `event_deltas` (previews of events being produced) is refused, events arrive whole. */
export const sessionEventStreamQuerySchema = z.strictObject({
  "event_deltas[]": z
    .unknown()
    .refine(() => false, "streaming deltas are not supported by this console; each event arrives whole")
    .optional(),
});
