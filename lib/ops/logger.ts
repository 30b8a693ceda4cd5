import pino, { type Logger, type LevelWithSilent } from "pino";
import pretty from "pino-pretty";

const LOGGER_KEY = Symbol.for("managed-agents-console.logger");
type LoggerHolder = { [LOGGER_KEY]?: Logger };

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
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  if (process.stdout.isTTY) return pino(options, pretty({ colorize: true, sync: true, ignore: "pid", translateTime: "SYS:HH:MM:ss.l" }));
  // Asynchronous: a request's line is queued and written while the server goes on; lines written while a
  // write is under way go out together. The server does not wait on stdout's reader, and pino flushes
  // what is queued when the process exits (process.exit included).
  return pino(options, pino.destination({ dest: 1, sync: false }));
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
