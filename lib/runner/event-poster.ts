// Posts a runner's events in order, as soon as they come: the first event goes out at once (the
// first agent.message must reach the console quickly), and whatever arrives while a post is in
// flight goes out together in the next one. The one exception is a model request's start with
// nothing after it: it waits a moment for its first content, which often follows within
// milliseconds and would otherwise queue behind the start's own post. A draft that points at an
// earlier event (a tool_result at its tool_use, a span end at its start) waits until that event's
// id is known, so a batch ends before it; one pointing at an event never posted is dropped.
import type { DraftEvent } from "./event-mapping";
import type { RuntimeEvent } from "./protocol";

/** The most events one POST carries (postRuntimeEventsSchema). */
const BATCH_MAX = 100;
const ATTEMPTS = 3;
const RETRY_DELAY_MS = 300;
/**
 * How long a lone span.model_request_start waits for company. A model that answers at once (a
 * short reply, a cached prompt) sends its first text block within this; a slower one's span start
 * is recorded this much later, which no one watching a stream can tell.
 */
export const SPAN_START_LINGER_MS = 25;

interface Queued {
  draft: DraftEvent;
  stored: (id: string | null) => void;
}

export class EventPoster {
  private readonly queue: Queued[] = [];
  /** Stored ids by draft key. */
  private readonly ids = new Map<string, string>();
  private readonly idWaiters = new Map<string, Array<(id: string) => void>>();
  /** Keys of drafts queued or in flight, not yet stored. */
  private readonly pendingKeys = new Set<string>();
  private draining: Promise<void> | null = null;
  private failure: Error | null = null;
  /** Ends a span start's wait for company (set while it waits). */
  private endLinger: (() => void) | null = null;

  constructor(
    private readonly post: (events: RuntimeEvent[]) => Promise<string[]>,
    /** Called once when posting failed for good: the run cannot go on without its events. */
    private readonly onFailure: (error: Error) => void,
  ) {}

  /** Queues the drafts; resolves with their stored ids (null for a dropped one) once posted. */
  enqueue(drafts: DraftEvent[]): Promise<Array<string | null>> {
    if (drafts.length === 0) return Promise.resolve([]);
    const stored = drafts.map(
      (draft) =>
        new Promise<string | null>((resolve) => {
          if (draft.key) this.pendingKeys.add(draft.key);
          this.queue.push({ draft, stored: resolve });
        }),
    );
    this.endLinger?.();
    this.kick();
    return Promise.all(stored);
  }

  /**
   * Starts draining unless a drain is under way. A drain that has just found the queue empty is
   * still "under way" until its finally runs, so drafts queued in that gap start the next one there
   * (without it, a status_idle queued right after a batch was never posted and the turn hung).
   */
  private kick(): void {
    if (this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (this.queue.length > 0 && !this.failure) this.kick();
    });
  }

  /** The stored id of the draft posted under `key`, once it is stored. */
  idOf(key: string): Promise<string> {
    const known = this.ids.get(key);
    if (known) return Promise.resolve(known);
    return new Promise((resolve) => this.idWaiters.set(key, [...(this.idWaiters.get(key) ?? []), resolve]));
  }

  /** Resolves when everything queued so far is posted. */
  async settled(): Promise<void> {
    while (this.draining) await this.draining;
    if (this.failure) throw this.failure;
  }

  private nextBatch(): Queued[] {
    const batch: Queued[] = [];
    const keysInBatch = new Set<string>();
    while (this.queue.length > 0 && batch.length < BATCH_MAX) {
      const next = this.queue[0] as Queued;
      const ref = next.draft.ref;
      if (ref && !this.ids.has(ref.key)) {
        if (keysInBatch.has(ref.key)) break; // its target is in this batch: post it in the next one
        if (!this.pendingKeys.has(ref.key)) {
          this.queue.shift();
          next.stored(null);
          continue;
        }
      }
      this.queue.shift();
      if (next.draft.key) keysInBatch.add(next.draft.key);
      batch.push(next);
    }
    return batch;
  }

  private resolved(draft: DraftEvent): RuntimeEvent {
    if (!draft.ref) return draft.event;
    return { ...draft.event, [draft.ref.field]: this.ids.get(draft.ref.key) } as RuntimeEvent;
  }

  private async postWithRetry(events: RuntimeEvent[]): Promise<string[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.post(events);
      } catch (error) {
        if (attempt >= ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * attempt));
      }
    }
  }

  /** True when everything queued is a span start, which then waits for company (lingerForCompany). */
  private onlySpanStarts(): boolean {
    return this.queue.every((queued) => queued.draft.event.type === "span.model_request_start");
  }

  /** Resolves at the next enqueue, or after SPAN_START_LINGER_MS. */
  private async lingerForCompany(): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, SPAN_START_LINGER_MS);
      this.endLinger = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.endLinger = null;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.failure) {
      // Checked first: anything else goes out in this very tick, not after an await.
      if (this.onlySpanStarts()) await this.lingerForCompany();
      const batch = this.nextBatch();
      if (batch.length === 0) continue;
      let ids: string[];
      try {
        ids = await this.postWithRetry(batch.map((queued) => this.resolved(queued.draft)));
      } catch (error) {
        this.failure = error instanceof Error ? error : new Error(String(error));
        for (const queued of [...batch, ...this.queue.splice(0)]) queued.stored(null);
        this.onFailure(this.failure);
        return;
      }
      batch.forEach((queued, index) => {
        const id = ids[index] as string;
        const key = queued.draft.key;
        if (key) {
          this.ids.set(key, id);
          this.pendingKeys.delete(key);
          for (const waiter of this.idWaiters.get(key) ?? []) waiter(id);
          this.idWaiters.delete(key);
        }
        queued.stored(id);
      });
    }
  }
}
