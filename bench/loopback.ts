// The benchmark's traffic stays on this machine: every origin it loads or dials is checked here.
import { isIP } from "node:net";

/** `localhost`, `[::1]`/`::1` or any 127.x.x.x (other 127 addresses stand for other hosts). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host === "::1") return true;
  return isIP(host) === 4 && host.startsWith("127.");
}
