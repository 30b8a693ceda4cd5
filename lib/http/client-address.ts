import { BlockList, isIP } from "node:net";

/**
 * Who is on the other end of a request. Without trusted proxies it is the socket's peer, whatever
 * the request says about itself. Behind a reverse proxy every socket peer is the proxy, so a
 * throttle keyed on it would put every user in one bucket: CONSOLE_TRUSTED_PROXIES names the
 * proxies whose X-Forwarded-For may be believed, and only them.
 */

/** An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is the IPv4 address it carries. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return (mapped?.[1] ?? address).toLowerCase();
}

/** One entry of CONSOLE_TRUSTED_PROXIES: an address or a CIDR range; an error message when neither. */
export function checkTrustedProxyEntry(entry: string): string | null {
  const [address = "", prefix, extra] = entry.split("/");
  if (extra !== undefined) return `"${entry}" is not an IP address or CIDR range`;
  const family = isIP(address);
  if (family === 0) return `"${entry}" is not an IP address or CIDR range`;
  if (prefix === undefined) return null;
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return `"${entry}": the prefix length must be 0–${max}`;
  return null;
}

export class TrustedProxies {
  private readonly list = new BlockList();
  readonly empty: boolean;

  constructor(entries: readonly string[]) {
    this.empty = entries.length === 0;
    for (const entry of entries) {
      const [address = "", prefix] = entry.split("/");
      const normalized = normalizeAddress(address);
      const type = isIP(normalized) === 6 ? "ipv6" : "ipv4";
      if (prefix === undefined) this.list.addAddress(normalized, type);
      else this.list.addSubnet(normalized, Number(prefix), type);
    }
  }

  includes(address: string): boolean {
    if (this.empty) return false;
    const normalized = normalizeAddress(address);
    const family = isIP(normalized);
    if (family === 0) return false;
    return this.list.check(normalized, family === 6 ? "ipv6" : "ipv4");
  }
}

/** An X-Forwarded-For entry as an address: ports and IPv6 brackets dropped; null when it is none. */
function forwardedAddress(entry: string): string | null {
  let value = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed?.[1]) value = bracketed[1];
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  return isIP(value) === 0 ? null : normalizeAddress(value);
}

/**
 * The client's address. When the socket's peer is a trusted proxy, X-Forwarded-For is read from
 * the right (each proxy appends the address it saw): trusted proxies are skipped, and the first
 * entry that is not one is the client. Everything left of it was written by the client itself and
 * means nothing. An entry that is not an address stops the walk at the last hop that was trusted.
 */
export function resolveClientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | readonly string[] | undefined,
  trusted: TrustedProxies,
): string | undefined {
  if (!socketAddress) return undefined;
  let client = normalizeAddress(socketAddress);
  if (!trusted.includes(client) || forwardedFor === undefined) return client;
  const entries = (typeof forwardedFor === "string" ? [forwardedFor] : forwardedFor).flatMap((header) => header.split(","));
  for (let index = entries.length - 1; index >= 0; index -= 1) {
    const address = forwardedAddress(entries[index] ?? "");
    if (address === null) break;
    client = address;
    if (!trusted.includes(address)) break;
  }
  return client;
}
