// A warm pool: processes started ahead of need, so a run does not wait for one to start. The pool
// keeps `size` idle processes; take() hands one out (oldest first). Its replacement starts when the
// taken process ends (its run is over), so a starting process (node and the Agent SDK's module,
// hundreds of ms of CPU) does not compete with the turn it was taken for; when take() empties the
// pool, replacements start at once, so a burst of runs does not find it empty for long. A process that ends while idle is dropped and replaced, after a growing pause when
// processes keep ending or failing to start, so a broken setup does not spin. stop() kills the
// idle ones and starts no more; processes already taken are their taker's to end.
import { componentLog } from "@/lib/ops/logger";

/** What the pool needs of a process: its end, and a way to end it. */
export interface PooledProcess {
  exited: Promise<unknown>;
  kill(): void;
}

export interface WarmPoolOptions<Process extends PooledProcess> {
  /** Idle processes kept ready. */
  size: number;
  /** Starts one process (resolves once it is started, not once it is ready). */
  spawn: () => Promise<Process>;
  /** Where problems are reported, one warning each (the console's log, component `runs`, by default). */
  log?: (line: string) => void;
  /** The first pause after a failure; it doubles with each failure in a row, up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

export interface WarmPool<Process extends PooledProcess> {
  /** An idle process, now the caller's; null when none is ready (the caller starts one itself). */
  take(): Process | null;
  /** How many idle processes are ready now. */
  readonly idle: number;
  /** Resolves once the pool holds `size` idle processes (or is stopped): for tests and benchmarks. */
  filled(): Promise<void>;
  /** Starts no more and kills the idle processes, waiting for their ends. */
  stop(): Promise<void>;
}

export function createWarmPool<Process extends PooledProcess>(options: WarmPoolOptions<Process>): WarmPool<Process> {
  const { size, spawn } = options;
  const log = options.log ?? componentLog("runs").warn;
  const backoffMs = options.backoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const idle: Process[] = [];
  /** Processes being started now. */
  let starting = 0;
  let failures = 0;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let fillWaiters: Array<() => void> = [];

  function notifyFilled(): void {
    if (!stopped && idle.length < size) return;
    const waiters = fillWaiters;
    fillWaiters = [];
    for (const wake of waiters) wake();
  }

  function failed(reason: string): void {
    failures += 1;
    if (failures === 1 || failures % 10 === 0) log(`warm runner pool: ${reason} (${failures} in a row); starting runners on demand meanwhile`);
  }

  /** Starts what is missing: at once, or after the current pause when the last ones failed. */
  function refill(): void {
    if (stopped || retryTimer) return;
    const missing = size - idle.length - starting;
    if (missing <= 0) return;
    if (failures > 0) {
      const pause = Math.min(maxBackoffMs, backoffMs * 2 ** (failures - 1));
      retryTimer = setTimeout(() => {
        retryTimer = null;
        for (let index = size - idle.length - starting; index > 0; index -= 1) startOne();
      }, pause);
      retryTimer.unref();
      return;
    }
    for (let index = 0; index < missing; index += 1) startOne();
  }

  function startOne(): void {
    if (stopped) return;
    starting += 1;
    spawn().then(
      (process) => {
        starting -= 1;
        if (stopped) {
          process.kill();
          return;
        }
        idle.push(process);
        // Ended while idle: not usable. Ended after take(): the taker's business.
        void process.exited.then(() => {
          const at = idle.indexOf(process);
          if (at === -1 || stopped) return;
          idle.splice(at, 1);
          failed("a warm runner ended before it was used");
          refill();
        });
        notifyFilled();
      },
      (error: unknown) => {
        starting -= 1;
        failed(`a warm runner could not start: ${error instanceof Error ? error.message : String(error)}`);
        refill();
      },
    );
  }

  refill();

  return {
    take() {
      const process = idle.shift() ?? null;
      if (!process) {
        refill();
        return null;
      }
      // A process handed out means starting works: what follows a streak of failures refills without a pause.
      failures = 0;
      if (idle.length === 0) refill();
      else void process.exited.then(refill, refill);
      return process;
    },
    get idle() {
      return idle.length;
    },
    filled() {
      if (stopped || idle.length >= size) return Promise.resolve();
      return new Promise((resolve) => fillWaiters.push(resolve));
    },
    async stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      const ending = idle.splice(0, idle.length);
      for (const process of ending) process.kill();
      notifyFilled();
      await Promise.all(ending.map((process) => process.exited.catch(() => undefined)));
    },
  };
}
