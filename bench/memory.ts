// The server's resident memory from /proc: the sum of VmRSS over its process group (the server
// and whatever it started), sampled while a phase runs, so each phase gets its own peak. VmHWM
// (the kernel's own peak) covers a process's whole life, which is why phases are sampled instead.
// Linux only; elsewhere the readings are null and the report says n/a.
import { readdirSync, readFileSync } from "node:fs";

const SAMPLE_EVERY_MS = 200;

function statusField(pid: number | string, field: "VmRSS" | "VmHWM"): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : null;
  } catch {
    return null; // Gone, or no /proc.
  }
}

function groupOf(pid: string): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
  } catch {
    return null;
  }
}

/** Resident kB of every live process in the group `groupId`, or null without /proc. */
export function processGroupRssKb(groupId: number): number | null {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return null;
  }
  let total = 0;
  for (const entry of entries) {
    if (/^\d+$/.test(entry) && groupOf(entry) === groupId) total += statusField(entry, "VmRSS") ?? 0;
  }
  return total;
}

/** The process's own peak resident kB over its life (VmHWM). */
export function peakRssKb(pid: number): number | null {
  return statusField(pid, "VmHWM");
}

export interface RssSampler {
  /** Stops sampling; the highest group RSS seen, in MB (NaN when unknown). */
  stop(): number;
}

/** Samples the group's RSS every 200 ms until stopped. */
export function sampleRss(groupId: number | undefined): RssSampler {
  let peakKb = Number.NaN;
  const sample = () => {
    const kb = groupId === undefined ? null : processGroupRssKb(groupId);
    if (kb !== null && !(kb <= peakKb)) peakKb = kb;
  };
  sample();
  const timer = setInterval(sample, SAMPLE_EVERY_MS);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peakKb / 1024;
    },
  };
}
