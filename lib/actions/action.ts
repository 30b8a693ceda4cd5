import "server-only";
import { revalidatePath } from "next/cache";
import { redirect, unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { refusalOf, userPrincipal, type Action } from "@/lib/auth/policy";
import { clientAddress, currentSession, requestId, userContext, type SessionUser } from "@/lib/auth/session";
import { type ConsoleError } from "@/lib/errors";
import {
  fieldErrorState,
  formErrorState,
  formText,
  refusalState,
  successState,
  type ActionResult,
  type FieldRenamer,
  type FormState,
} from "@/lib/forms/form-state";
import { log } from "@/lib/ops/logger";
import type { RequestContext } from "@/lib/server/audit";
import type { BrowserSessionRef } from "@/lib/server/browser-sessions";
import { toConsoleError } from "@/lib/server/database-errors";
import { describeForLog } from "@/lib/server/error-log";
import { validateInput, type FieldIssue } from "@/lib/validation/parse";

/**
 * The one way a server action is built: authorize → read the form → validate → run the service →
 * map its refusal to form state → revalidate → redirect. Each action in lib/actions/*.ts states only
 * its business (which permission, which schema, how the form maps to the API's body, which service).
 */

/** A policy action, or a check that needs no role: any signed-in user, or nobody signed in at all. */
export type Permission = Action | "signed_in" | "public";

/** Nobody is signed in yet (sign-in, setup): the service names the actor itself. */
export interface PublicCaller {
  context: Omit<RequestContext, "actor">;
}

export interface SignedInCaller {
  context: RequestContext;
  session: { ref: BrowserSessionRef; user: SessionUser };
}

export type CallerOf<P extends Permission> = P extends "public" ? PublicCaller : SignedInCaller;

/** A one-click action's refusal: one sentence to show. */
type Refused = Extract<ActionResult, { ok: false }>;

/**
 * Actions are public HTTP endpoints whatever the page shows, so the session and the policy are
 * checked on each call: no session → sign-in, refused → the policy's reason.
 */
async function admit<P extends Permission>(permission: P): Promise<{ ok: true; caller: CallerOf<P> } | Refused> {
  // TypeScript narrows a plain union by these tests, not the generic P, hence the casts below.
  const wanted: Permission = permission;
  if (wanted === "public") {
    const caller: PublicCaller = { context: { requestId: await requestId(), clientAddress: await clientAddress() } };
    return { ok: true, caller: caller as CallerOf<P> };
  }
  const session = await currentSession();
  if (!session) redirect("/sign-in");
  const refusal = wanted === "signed_in" ? null : refusalOf(userPrincipal(session.user), wanted);
  if (refusal) return { ok: false, error: refusal };
  const caller: SignedInCaller = { context: await userContext(session.user), session };
  return { ok: true, caller: caller as CallerOf<P> };
}

/**
 * Thrown by a run to answer with this exact form state: a typed confirmation that does not match,
 * a refused sign-in. It is not a failure of the service.
 */
export class FormRefusal extends Error {
  constructor(readonly state: FormState) {
    super(state.formError ?? "refused");
  }
}

const UNEXPECTED = "Something went wrong on the server. Reload the page to see the current state, then try again.";

/** Anything but a refusal is logged without its details and shown as a generic failure. */
function unexpected(error: unknown): string {
  log().error({ problem: describeForLog(error) }, "server action failed unexpectedly");
  return UNEXPECTED;
}

/**
 * The one place a form action's failure becomes what the person sees: a service refusal
 * (ConsoleError) or a database refusal (lib/server/database-errors.ts) as written, beside its field
 * when it names one; anything else as unexpected.
 */
function failureState(error: unknown, rename?: FieldRenamer): FormState {
  unstable_rethrow(error);
  if (error instanceof FormRefusal) return error.state;
  const refusal = toConsoleError(error);
  return refusal ? refusalState(refusal, rename) : formErrorState(unexpected(error));
}

/** The same for a one-click action, whose refusal is one sentence. */
function failureResult(error: unknown): Refused {
  unstable_rethrow(error);
  return { ok: false, error: toConsoleError(error)?.message ?? unexpected(error) };
}

/** The one argument of most one-click actions: the id of what the button acts on. */
export const idArgument = z.object({ id: z.string() });

export function byId(id: string): { id: string } {
  return { id };
}

/** What a form's fields say, as the API's request body plus what only the form knows. */
export interface FormReading {
  /** The API's request body, for the schema. */
  input: unknown;
  /** Problems the schema cannot see (metadata rows), already named by the form's fields. */
  issues?: FieldIssue[];
  /** The API's field paths → the form's fields, for schema issues and service refusals alike. */
  field?: FieldRenamer;
}

type Derived<Result, Reading, Value> = Value | ((result: Result, reading: Reading) => Value);

function derive<Result, Reading, Value>(value: Derived<Result, Reading, Value>, result: Result, reading: Reading): Value {
  return typeof value === "function" ? (value as (result: Result, reading: Reading) => Value)(result, reading) : value;
}

export interface AfterForm<Result, Reading, State> {
  /** Pages whose data the run changed. */
  revalidate?: Derived<Result, Reading, string[]>;
  /** Where to go once it worked; without it the form gets `answer` (or plain success) back. */
  redirect?: Derived<Result, Reading, string>;
  answer?: (result: Result) => State;
  /** A refusal the form shows somewhere the generic mapping cannot tell (see sessions.ts). */
  refusal?: (error: ConsoleError) => FormState | null;
}

/** A form action for `useActionState`: `(previous state, form data) → next state`. */
export function formAction<P extends Permission, Schema extends z.ZodType, Reading extends FormReading, Result, State extends FormState = FormState>(
  permission: P,
  schema: Schema,
  fromForm: (formData: FormData) => Reading | Promise<Reading>,
  run: (input: z.output<Schema>, caller: CallerOf<P>, reading: Reading) => Promise<Result>,
  after: AfterForm<Result, Reading, State> = {},
): (previous: State, formData: FormData) => Promise<State | FormState> {
  return async (_previous, formData) => {
    const admitted = await admit(permission);
    if (!admitted.ok) return formErrorState(admitted.error);
    let done: { result: Result; reading: Reading };
    let rename: FieldRenamer | undefined;
    try {
      const reading = await fromForm(formData);
      rename = reading.field;
      const validated = validateInput(schema, reading.input);
      const issues = [
        ...(reading.issues ?? []),
        ...(validated.ok ? [] : validated.issues.map((issue) => ({ ...issue, field: rename?.(issue.field) ?? issue.field }))),
      ];
      if (issues.length > 0 || !validated.ok) return fieldErrorState(issues);
      done = { result: await run(validated.data, admitted.caller, reading), reading };
    } catch (error) {
      const refusal = toConsoleError(error);
      const special = refusal ? after.refusal?.(refusal) : null;
      return special ?? failureState(error, rename);
    }
    for (const path of after.revalidate ? derive(after.revalidate, done.result, done.reading) : []) revalidatePath(path);
    if (after.redirect) redirect(derive(after.redirect, done.result, done.reading));
    return after.answer ? after.answer(done.result) : successState();
  };
}

/**
 * A one-click action (archive, revoke, change a role) called with arguments rather than a form:
 * `fromArgs` names them for the schema, and the answer is `{ ok: true }` or the refusal to show.
 */
export function buttonAction<P extends Action, Schema extends z.ZodType, Args extends unknown[], Result, Answer extends { ok: true } = { ok: true }>(
  permission: P,
  schema: Schema,
  fromArgs: (...args: Args) => unknown,
  run: (input: z.output<Schema>, caller: SignedInCaller) => Promise<Result>,
  after: { revalidate?: (input: z.output<Schema>) => string[]; answer?: (result: Result) => Answer } = {},
): (...args: Args) => Promise<Answer | Refused> {
  return async (...args) => {
    const admitted = await admit<Action>(permission);
    if (!admitted.ok) return admitted;
    const validated = validateInput(schema, fromArgs(...args));
    if (!validated.ok) {
      const issue = validated.issues[0];
      return { ok: false, error: issue ? `${issue.field.charAt(0).toUpperCase()}${issue.field.slice(1)} ${issue.message}` : UNEXPECTED };
    }
    let result: Result;
    try {
      result = await run(validated.data, admitted.caller);
    } catch (error) {
      return failureResult(error);
    }
    for (const path of after.revalidate?.(validated.data) ?? []) revalidatePath(path);
    // Without `answer`, Answer is its default, `{ ok: true }`.
    return after.answer ? after.answer(result) : ({ ok: true } as Answer);
  };
}

/** A one-click action on one resource by its id: `run(id, context)`, then the pages that show it. */
export function idAction(permission: Action, run: (id: string, context: RequestContext) => Promise<unknown>, revalidate: (id: string) => string[]) {
  return buttonAction(permission, idArgument, byId, ({ id }, { context }) => run(id, context), { revalidate: ({ id }) => revalidate(id) });
}

/** What a typed-confirmation delete asks for: `Type the vault's name exactly`, by the form's field names. */
export interface TypedDeletion {
  noun: string;
  part: string;
  idField: string;
  confirmField: string;
  /** The list page the delete returns to, with `?deleted=1`. */
  list: string;
}

const typedDeletionSchema = z.object({ id: z.string(), typed: z.string() });

/**
 * A permanent delete behind a typed confirmation: what the dialog asked to type is checked here
 * too, not only in the dialog, before `remove` runs.
 */
export function typedDeleteAction(
  what: TypedDeletion,
  expected: (id: string) => Promise<string>,
  remove: (id: string, context: RequestContext) => Promise<unknown>,
) {
  return formAction(
    "write",
    typedDeletionSchema,
    (formData) => ({ input: { id: formText(formData, what.idField), typed: formText(formData, what.confirmField) } }),
    async ({ id, typed }, { context }) => {
      const wanted = await expected(id);
      if (typed !== wanted) {
        throw new FormRefusal(
          formErrorState(`The ${what.noun} was not deleted.`, {
            [what.confirmField]: `Type the ${what.noun}'s ${what.part} exactly: ${wanted}`,
          }),
        );
      }
      await remove(id, context);
    },
    { revalidate: [what.list], redirect: `${what.list}?deleted=1` },
  );
}
