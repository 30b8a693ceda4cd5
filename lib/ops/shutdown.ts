/**
 * The process's shutdown, as the long-lived handlers see it: a signal that fires once when SIGTERM
 * (or SIGINT) begins a graceful stop. A session event stream ends then, so its client reconnects
 * with Last-Event-ID to a process that stays, instead of holding this one for the whole grace
 * period. On a well-known global, as the handlers run in Next's copy of the modules.
 */
const SHUTDOWN_KEY = Symbol.for("managed-agents-console.shutdown");
type ShutdownHolder = { [SHUTDOWN_KEY]?: AbortController };

function controller(): AbortController {
  const holder = globalThis as ShutdownHolder;
  holder[SHUTDOWN_KEY] ??= new AbortController();
  return holder[SHUTDOWN_KEY];
}

export function shutdownSignal(): AbortSignal {
  return controller().signal;
}

export function beginShutdown(): void {
  controller().abort();
}
