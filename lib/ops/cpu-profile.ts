import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";

/**
 * A V8 CPU profile of this process, for finding where a request's time goes under load
 * (`bench/profile-summary.ts` summarizes it). Node refuses `--cpu-prof` in NODE_OPTIONS, so the
 * server starts the profiler itself when CONSOLE_CPU_PROFILE names a file; the profile is written
 * when the server begins to shut down (SIGTERM or SIGINT), before it drains. Off by default: the
 * sampling costs a few percent of CPU.
 */
export async function startCpuProfile(file: string): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  // 0.5 ms: fine enough to see a request of a millisecond or two, coarse enough to stay cheap.
  await session.post("Profiler.setSamplingInterval", { interval: 500 });
  await session.post("Profiler.start");
  let written = false;
  return async () => {
    if (written) return;
    written = true;
    const { profile } = await session.post("Profiler.stop");
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
  };
}
