import { isatty } from "node:tty";
import pino, { type Logger, type LevelWithSilent } from "pino";
import pretty from "pino-pretty";

const LOGGER_KEY = Symbol.for("managed-agents-console.logger");
type LoggerHolder = { [LOGGER_KEY]?: Logger };

/** Lines are written once this much has gathered… */
const LOG_BATCH_BYTES = 3072;
/** …or at least this often, so a person tailing the log sees a line at once. */
const LOG_FLUSH_MS = 100;
/** At most one pipe buffer's atomic write (PIPE_BUF), so other writers to stdout cannot split a line. */
const LOG_WRITE_MAX_BYTES = 4096;

/** The `time` field's text up to the second, and the second it is for. */
let timePrefix = { second: Number.NaN, text: "" };

/**
 * pino's field for an ISO 8601 time (pino.stdTimeFunctions.isoTime), with the date and time up to
 * the second written once a second: formatting a Date per line cost about as much as serializing
 * the rest of a request's line, on the path of every model call through the boundary.
 */
export function isoTimeField(now = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== timePrefix.second) timePrefix = { second, text: `,"time":"${new Date(second * 1000).toISOString().slice(0, 20)}` };
  return `${timePrefix.text}${String(now - second * 1000).padStart(3, "0")}Z"`;
}

const LEVELS: readonly LevelWithSilent[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

function levelFrom(value: string | undefined): LevelWithSilent {
  return LEVELS.find((level) => level === value) ?? "info";
}

/**
 * One JSON object per line on stdout, which is what log collectors read; pretty and coloured only when a
 * person watches a terminal (pino-pretty costs several times more per line). Nothing here decides what is safe to log: callers pass allow-listed
 * fields (ids, routes, statuses, durations), never a request's headers or body, and errors only as
 * lib/server/error-log.ts describes them.
 */
function createLogger(): Logger {
  const options = {
    level: levelFrom(process.env.CONSOLE_LOG_LEVEL),
    base: { pid: process.pid },
    timestamp: () => isoTimeField(),
    formatters: { level: (label: string) => ({ level: label }) },
  };
  // Of the descriptor itself: a worker thread's process.stdout is a pipe to the main thread, never a terminal.
  if (isatty(1)) {
    const messageFormat = "{if component}[{component}] {end}{msg}";
    return pino(options, pretty({ colorize: true, sync: true, ignore: "pid,component", translateTime: "SYS:HH:MM:ss.l", messageFormat }));
  }
  // Asynchronous and batched: a request's line is queued and written while the server goes on, once
  // LOG_BATCH_BYTES have gathered or LOG_FLUSH_MS have passed. A write per line (each a trip through
  // libuv's thread pool) was a third of what the credential boundary cost per model call. The server
  // does not wait on stdout's reader, and pino flushes what is queued when the process exits
  // (process.exit included).
  return pino(options, pino.destination({ dest: 1, sync: false, minLength: LOG_BATCH_BYTES, maxWrite: LOG_WRITE_MAX_BYTES, periodicFlush: LOG_FLUSH_MS }));
}

/**
 * The process's one logger. Next bundles its own copy of this module, so it lives on a well-known
 * global (as lib/instances.ts does): the custom server and the routes write through one stream.
 * The level is CONSOLE_LOG_LEVEL, which `npm start` has already checked (lib/env.ts).
 */
export function log(): Logger {
  const holder = globalThis as LoggerHolder;
  holder[LOGGER_KEY] ??= createLogger();
  return holder[LOGGER_KEY];
}

/** A part of the console that reports in sentences: what it did (info) and what went wrong (warn). */
export interface ComponentLog {
  info(line: string): void;
  warn(line: string): void;
}

/**
 * The lines of one part of the console (`database`, `runs`) as log records with a `component`
 * field, so that after the start banner everything on stdout is one JSON object per line (pretty
 * on a terminal, the component in brackets).
 */
export function componentLog(component: string): ComponentLog {
  return {
    info: (line) => log().info({ component }, line),
    warn: (line) => log().warn({ component }, line),
  };
}
