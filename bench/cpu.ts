// CPU accounting from /proc, for a number that survives a busy machine: req/s falls when another
// process takes the cores, the CPU a server spends per request much less so. Linux only; elsewhere
// the readings are null and the report says n/a.
import { readdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat, 100 on every mainstream Linux build. */
const CLOCK_TICKS_PER_SECOND = 100;

interface ProcessStat {
  pid: number;
  parentId: number;
  groupId: number;
  /** Its own CPU, and that of its children that ended and were waited for (cutime, cstime): a
   * process that exits then still counts, in its parent, so a total over time never goes down. */
  cpuMs: number;
}

function readProcesses(): ProcessStat[] | null {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return null;
  }
  const processes: ProcessStat[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // Gone between the listing and the read.
    }
    // The command name may contain spaces and parentheses; the fields after the last ")" do not.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    processes.push({
      pid: Number(entry),
      parentId: Number(fields[1]),
      groupId: Number(fields[2]),
      cpuMs: ((Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS_PER_SECOND,
    });
  }
  return processes;
}

/** User + system CPU of every live process in the group `groupId` and its ended children, in milliseconds. */
export function processGroupCpuMs(groupId: number): number | null {
  const processes = readProcesses();
  if (!processes) return null;
  return processes.filter((process) => process.groupId === groupId).reduce((sum, process) => sum + process.cpuMs, 0);
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return [];
  }
}

/**
 * User + system CPU of the PostgreSQL server listening on `port` (the postmaster and its
 * children: backends, checkpointer, walwriter…, live or ended), in milliseconds. Each of them leads its own
 * process group, so they are found by parent instead. Null when no such server is found.
 */
export function postgresServerCpuMs(port: number): number | null {
  const processes = readProcesses();
  if (!processes) return null;
  const postmaster = processes.find((process) => {
    const args = commandLine(process.pid);
    const portFlag = args.indexOf("-p");
    return (args[0] ?? "").endsWith("postgres") && portFlag >= 0 && args[portFlag + 1] === String(port);
  });
  if (!postmaster) return null;
  return processes.filter((process) => process.pid === postmaster.pid || process.parentId === postmaster.pid).reduce((sum, process) => sum + process.cpuMs, 0);
}

/** The fraction of all cores that was busy over the next `ms` milliseconds, whoever used them. */
export async function machineBusyFraction(ms: number): Promise<number> {
  const totals = () =>
    cpus().reduce(
      (sum, cpu) => {
        const { user, nice, sys, idle, irq } = cpu.times;
        return { busy: sum.busy + user + nice + sys + irq, all: sum.all + user + nice + sys + idle + irq };
      },
      { busy: 0, all: 0 },
    );
  const before = totals();
  await new Promise((wake) => setTimeout(wake, ms));
  const after = totals();
  const all = after.all - before.all;
  return all > 0 ? (after.busy - before.busy) / all : 0;
}
