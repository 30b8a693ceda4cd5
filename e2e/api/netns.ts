// A network-namespace harness: runs a command (a real runtime such as the Claude Code CLI) in a fresh
// network namespace whose only way out is the loopback ports the test forwards. Inside, a relay
// (netns-runner.mjs) listens on 127.0.0.x:<port> and carries each connection over a unix socket in a
// temp dir; here, in the test process, the other end connects to the real port. So the runtime
// reaches the console (its boundary or its egress proxy) and nothing else: every other address has
// no route, and every name it resolves goes to a DNS sink that records the name and refuses it.
// Needs root (util-linux `unshare --net --mount`, iproute2 `ip`); tests skip with the reason otherwise.
import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const RUNNER = fileURLToPath(new URL("./netns-runner.mjs", import.meta.url));
const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

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

/** The tools, or why the harness cannot run here (checked once, by running a namespace). */
function probe(): { tools: Tools } | { reason: string } {
  if (process.platform !== "linux") return { reason: "network namespaces are Linux only" };
  if (process.getuid?.() !== 0) return { reason: "unshare --net needs root; run the suite as root" };
  const unshare = which("unshare");
  const ip = which("ip");
  const mount = which("mount");
  if (!unshare || !ip || !mount) return { reason: "unshare (util-linux), ip (iproute2) and mount are needed" };
  const trial = spawnSync(unshare, ["--net", "--mount", "--", ip, "link", "set", "lo", "up"], { encoding: "utf8" });
  if (trial.status !== 0) return { reason: `unshare --net --mount failed here: ${(trial.stderr || String(trial.error)).trim()}` };
  return { tools: { unshare, ip, mount } };
}

const probed = probe();

/** Why namespaced tests cannot run on this machine, or null when they can. Printed once when set. */
export const netnsUnavailable: string | null = "reason" in probed ? probed.reason : null;
if (netnsUnavailable) console.warn(`[netns] runtime tests in a network namespace are skipped: ${netnsUnavailable}`);

/** `host:port` inside the namespace (host a 127.x address, default 127.0.0.1) that leads to `to` outside. */
export interface Forward {
  host?: string;
  port: number;
  to: { host: string; port: number };
}

export interface NetnsCommand {
  command: string;
  args: string[];
  /** The command's whole environment: nothing of the test process's is added. */
  env: Record<string, string>;
  forwards: Forward[];
  cwd: string;
  timeoutMs: number;
}

/** One connection a forward carried, with the first line the runtime sent (a CONNECT, a request line). */
export interface RelayedConnection {
  /** The forward's port inside the namespace. */
  port: number;
  firstLine: string;
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

/** The outside end of one forward: a unix socket whose connections go on to `to`. */
function outsideRelay(socketPath: string, forward: Forward, connections: RelayedConnection[]): Promise<Server> {
  const server = createServer((inside) => {
    const recorded: RelayedConnection = { port: forward.port, firstLine: "" };
    connections.push(recorded);
    inside.once("data", (chunk: Buffer) => {
      recorded.firstLine = chunk.toString("latin1").split("\r\n")[0] ?? "";
    });
    const outside = connect(forward.to.port, forward.to.host);
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

/** Runs the command in a fresh network namespace; throws when the harness is unavailable here. */
export async function runInNetns(run: NetnsCommand): Promise<NetnsResult> {
  if ("reason" in probed) throw new Error(`runInNetns: ${probed.reason}`);
  const { tools } = probed;
  const dir = mkdtempSync(join(tmpdir(), "netns-"));
  const connections: RelayedConnection[] = [];
  const relays: Server[] = [];
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
    writeFileSync(configPath, JSON.stringify({ ...tools, forwards, dnsLog, resolvConf, command: run.command, args: run.args, cwd: run.cwd }));

    // Its own process group, so the timeout stops the runner and the command together.
    const child = spawn(tools.unshare, ["--net", "--mount", "--", process.execPath, RUNNER, configPath], {
      // Exactly the given variables; Next's ProcessEnv typing would insist on NODE_ENV.
      env: run.env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    }, run.timeoutMs);
    const code = await new Promise<number | null>((resolveExit) => child.on("close", (exitCode) => resolveExit(exitCode)));
    clearTimeout(timer);
    const dnsQueries = readFileSync(dnsLog, "utf8").split("\n").filter(Boolean);
    return { code: timedOut ? null : code, stdout, stderr, connections, dnsQueries };
  } finally {
    await Promise.all(relays.map((relay) => new Promise((resolveClose) => relay.close(resolveClose))));
    rmSync(dir, { recursive: true, force: true });
  }
}
