// A network namespace whose only way out is the loopback ports given: runs a command (the session
// runner, or in tests a real runtime such as the Claude Code CLI) in a fresh network and mount
// namespace. Inside, a relay (netns-runner.mjs) listens on 127.0.0.x:<port> and carries each
// connection over a unix socket in a temp dir; here, in the calling process, the other end
// connects to the real port. So the command reaches the console (its HTTP port, its egress proxy)
// and nothing else: every other address has no route, and every name it resolves goes to a DNS
// sink that records the name and refuses it. Needs root (util-linux `unshare --net --mount`,
// iproute2 `ip`); netnsUnavailable() says why not otherwise.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const RELAY = fileURLToPath(new URL("./netns-runner.mjs", import.meta.url));
export const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

interface Tools {
  unshare: string;
  ip: string;
  mount: string;
}

function which(name: string): string | null {
  for (const dir of SYSTEM_PATH.split(":")) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this directory
    }
  }
  return null;
}

/** The tools, or why a namespace cannot be made here (checked by making one). */
function probe(): { tools: Tools } | { reason: string } {
  if (process.platform !== "linux") return { reason: "network namespaces are Linux only" };
  if (process.getuid?.() !== 0) return { reason: "unshare --net needs root" };
  const unshare = which("unshare");
  const ip = which("ip");
  const mount = which("mount");
  if (!unshare || !ip || !mount) return { reason: "unshare (util-linux), ip (iproute2) and mount are needed" };
  const trial = spawnSync(unshare, ["--net", "--mount", "--", ip, "link", "set", "lo", "up"], { encoding: "utf8" });
  if (trial.status !== 0) return { reason: `unshare --net --mount failed here: ${(trial.stderr || String(trial.error)).trim()}` };
  return { tools: { unshare, ip, mount } };
}

let probed: ReturnType<typeof probe> | undefined;

function tools(): ReturnType<typeof probe> {
  probed ??= probe();
  return probed;
}

/** Why commands cannot run in a network namespace on this machine, or null when they can. */
export function netnsUnavailable(): string | null {
  const found = tools();
  return "reason" in found ? found.reason : null;
}

/** `host:port` inside the namespace (host a 127.x address, default 127.0.0.1) that leads to `to` outside. */
export interface Forward {
  host?: string;
  port: number;
  to: { host: string; port: number };
}

/** One connection a forward carried, with the first line the command sent (a CONNECT, a request line). */
export interface RelayedConnection {
  /** The forward's port inside the namespace. */
  port: number;
  firstLine: string;
}

export interface NetnsSpawn {
  command: string;
  args: string[];
  /** The command's whole environment: nothing of the calling process's is added. */
  env: Record<string, string>;
  forwards: Forward[];
  cwd: string;
  /** The command's stdout and stderr: piped to the caller, or this process's own. */
  stdio: "pipe" | "inherit";
  /** The command's stdin: none (the default), or a pipe from the caller (`child.stdin`; the relay passes it on unread). */
  stdin?: "pipe" | "ignore";
}

export interface NetnsProcess {
  /** The relay's process (unshare execs it): its own process group, so killing -pid stops everything. */
  child: ChildProcess;
  /** The command's own pid, once the relay has started it. */
  commandPid: Promise<number>;
  /** The exit of the command (the relay exits with its status). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  connections: RelayedConnection[];
  /** Every name the command (or anything it ran) tried to resolve so far, in order. */
  dnsQueries(): string[];
}

/** The outside end of one forward: a unix socket whose connections go on to `to`. */
function outsideRelay(socketPath: string, forward: Forward, connections: RelayedConnection[]): Promise<Server> {
  const server = createServer((inside) => {
    const recorded: RelayedConnection = { port: forward.port, firstLine: "" };
    connections.push(recorded);
    inside.once("data", (chunk: Buffer) => {
      recorded.firstLine = chunk.toString("latin1").split("\r\n")[0] ?? "";
    });
    // Without Nagle's algorithm, as inside: each relayed write leaves at once.
    const outside = connect({ port: forward.to.port, host: forward.to.host, noDelay: true });
    inside.pipe(outside);
    outside.pipe(inside);
    inside.on("error", () => outside.destroy());
    outside.on("error", () => inside.destroy());
    inside.on("close", () => outside.destroy());
    outside.on("close", () => inside.destroy());
  });
  return new Promise((resolveListen, rejectListen) => {
    server.once("error", rejectListen);
    server.listen(socketPath, () => resolveListen(server));
  });
}

/** Starts the command in a fresh network namespace; throws when that cannot be done here. */
export async function spawnInNetns(run: NetnsSpawn): Promise<NetnsProcess> {
  const found = tools();
  if ("reason" in found) throw new Error(`spawnInNetns: ${found.reason}`);
  const dir = mkdtempSync(join(tmpdir(), "netns-"));
  const connections: RelayedConnection[] = [];
  const relays: Server[] = [];
  const cleanUp = async () => {
    await Promise.all(relays.map((relay) => new Promise((resolveClose) => relay.close(resolveClose))));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const forwards = await Promise.all(
      run.forwards.map(async (forward, index) => {
        const socket = join(dir, `forward-${index}.sock`);
        relays.push(await outsideRelay(socket, forward, connections));
        return { host: forward.host ?? "127.0.0.1", port: forward.port, socket };
      }),
    );
    const dnsLog = join(dir, "dns.log");
    const resolvConf = join(dir, "resolv.conf");
    writeFileSync(dnsLog, "");
    writeFileSync(resolvConf, "nameserver 127.0.0.1\noptions attempts:1 timeout:1\n");
    const configPath = join(dir, "runner.json");
    writeFileSync(configPath, JSON.stringify({ ...found.tools, forwards, dnsLog, resolvConf, command: run.command, args: run.args, cwd: run.cwd }));

    // Its own process group, so a kill stops the relay and the command together. fd 3 carries the
    // command's pid back.
    const child = spawn(found.tools.unshare, ["--net", "--mount", "--", process.execPath, RELAY, configPath], {
      // Exactly the given variables; Next's ProcessEnv typing would insist on NODE_ENV.
      env: run.env as NodeJS.ProcessEnv,
      stdio: [run.stdin ?? "ignore", run.stdio, run.stdio, "pipe"],
      detached: true,
    });
    const pidPipe = child.stdio[3];
    const commandPid = new Promise<number>((resolvePid, rejectPid) => {
      let text = "";
      pidPipe?.on("data", (chunk: Buffer) => {
        text += chunk.toString("utf8");
        if (text.includes("\n")) resolvePid(Number(text.trim()));
      });
      pidPipe?.on("close", () => rejectPid(new Error("the namespace relay ended before starting the command")));
    });
    commandPid.catch(() => undefined);
    let dnsQueries: string[] = [];
    const readDns = () => {
      try {
        dnsQueries = readFileSync(dnsLog, "utf8").split("\n").filter(Boolean);
      } catch {
        // the directory is gone: keep the last reading
      }
      return dnsQueries;
    };
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
      child.on("close", (code, signal) => {
        readDns();
        void cleanUp().then(() => resolveExit({ code, signal }));
      }),
    );
    return { child, commandPid, exited, connections, dnsQueries: readDns };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

export interface NetnsCommand extends Omit<NetnsSpawn, "stdio"> {
  timeoutMs: number;
}

export interface NetnsResult {
  /** The exit status, or null when the harness stopped it at the timeout. */
  code: number | null;
  stdout: string;
  stderr: string;
  connections: RelayedConnection[];
  /** Every name the command (or anything it ran) tried to resolve, in order. */
  dnsQueries: string[];
}

/** Runs the command to its end in a fresh network namespace, collecting its output. */
export async function runInNetns(run: NetnsCommand): Promise<NetnsResult> {
  const started = await spawnInNetns({ ...run, stdio: "pipe" });
  const { child } = started;
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid) process.kill(-child.pid, "SIGKILL");
  }, run.timeoutMs);
  const { code } = await started.exited;
  clearTimeout(timer);
  return { code: timedOut ? null : code, stdout, stderr, connections: started.connections, dnsQueries: started.dnsQueries() };
}
