// Runs inside a fresh network and mount namespace (lib/runner/netns.ts starts it with `unshare`): brings
// the loopback interface up, points /etc/resolv.conf at a DNS sink that records every name asked for
// and answers REFUSED, relays each forwarded loopback port to a unix socket that the test process
// carries on to the real port outside, then runs the command with this process's environment,
// unchanged, as the command's whole environment, and writes its pid to fd 3 (so the caller can
// find the command itself, not only this relay). Exits with the command's exit status.
import { execFileSync, spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { appendFileSync, closeSync, readFileSync, writeSync } from "node:fs";
import { connect, createServer } from "node:net";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));

execFileSync(config.ip, ["link", "set", "lo", "up"]);
// The mount namespace is private (unshare's default propagation), so this bind stays in here.
execFileSync(config.mount, ["--bind", config.resolvConf, "/etc/resolv.conf"]);

/** The question's name of a DNS query (RFC 1035 §4.1.2), or "?" when it cannot be read. */
function questionName(message) {
  const labels = [];
  let at = 12;
  while (at < message.length) {
    const length = message[at];
    if (length === 0) return labels.join(".");
    if (length > 63) return "?";
    labels.push(message.subarray(at + 1, at + 1 + length).toString("latin1"));
    at += 1 + length;
  }
  return "?";
}

const dns = createSocket("udp4");
dns.on("message", (message, peer) => {
  if (message.length < 12) return;
  appendFileSync(config.dnsLog, `${questionName(message)}\n`);
  const answer = Buffer.from(message);
  // QR=1, the query's opcode and RD kept, RA=1, RCODE=5 (REFUSED); no answer records.
  answer[2] = 0x80 | (message[2] & 0x79);
  answer[3] = 0x80 | 5;
  answer.writeUInt16BE(0, 6);
  answer.writeUInt16BE(0, 8);
  answer.writeUInt16BE(0, 10);
  dns.send(answer, peer.port, peer.address);
});
await new Promise((resolve) => dns.bind(53, "127.0.0.1", resolve));

const relays = await Promise.all(
  config.forwards.map(
    ({ host, port, socket }) =>
      new Promise((resolve, reject) => {
        // Without Nagle's algorithm: a small write (an SSE event, a request's last bytes) leaves at
        // once instead of waiting on the peer's delayed ACK, tens of ms at a time.
        const server = createServer({ noDelay: true }, (inside) => {
          const outside = connect(socket);
          inside.pipe(outside).on("error", () => inside.destroy());
          outside.pipe(inside).on("error", () => outside.destroy());
          inside.on("error", () => outside.destroy());
          outside.on("error", () => inside.destroy());
        });
        server.once("error", reject);
        server.listen(port, host, () => resolve(server));
      }),
  ),
);

const child = spawn(config.command, config.args, { cwd: config.cwd, env: process.env, stdio: "inherit" });
if (child.pid) {
  try {
    writeSync(3, `${child.pid}\n`);
    closeSync(3);
  } catch {
    // The console that started this runner is gone (EPIPE: it stopped while the runner started),
    // so nobody will hand it a run: end quietly instead of with a stack trace in the console's log.
    child.kill("SIGKILL");
    process.exit(1);
  }
}
child.on("error", (error) => {
  process.stderr.write(`netns-runner: ${config.command}: ${error.message}\n`);
  process.exit(127);
});
child.on("exit", (code, signal) => {
  for (const relay of relays) relay.close();
  dns.close();
  process.exit(code ?? (signal ? 128 : 1));
});
