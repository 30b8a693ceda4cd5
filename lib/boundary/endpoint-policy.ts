/**
 * Where a model token may be sent (SPEC §3 llm_base_url, §7). One module answers it at write time
 * (a vault's llm_base_url is parsed, checked and stored normalized) and again at connect time
 * (the boundary and the test connection check the stored URL before any DNS lookup, then every
 * address the name resolves to). Only public `https` endpoints pass; `http`, and any name or
 * address that reaches this machine, its network or a cloud metadata service, pass only when the
 * operator lists the host (or host:port) in CONSOLE_PRIVATE_ENDPOINTS.
 *
 * Pure: no Node or Next imports (client forms import the metadata rules that use it); the allow
 * list is passed in by the caller.
 */

/** The operator's CONSOLE_PRIVATE_ENDPOINTS: normalized `host` and `host:port` entries. */
export type PrivateEndpoints = ReadonlySet<string>;

export const NO_PRIVATE_ENDPOINTS: PrivateEndpoints = new Set();

export const ENDPOINT_URL_MAX = 2047;

const ALLOW_LIST_HINT = "list the host (or host:port) in CONSOLE_PRIVATE_ENDPOINTS to allow it";

/**
 * Whitespace, control and format characters, and backslashes, anywhere: WHATWG URL silently strips
 * or rewrites them (`" https://x"`, `"https://x\n"`, `"https://\\@evil"`), so a value holding one is
 * refused rather than stored as something other than what was typed.
 */
const FORBIDDEN_CHARACTERS = /[\s\p{C}\\]/u;

export type ParsedEndpoint = { ok: true; url: URL; normalized: string } | { ok: false; problem: string };

/**
 * Parses a base URL and returns its one normalized spelling: scheme and host lowercased (IDN to
 * punycode, numeric IPv4 forms such as `2130706433` or `0x7f.1` to dotted quads, IPv6 compressed),
 * default port dropped, `.`/`..` segments resolved, trailing slashes dropped.
 */
export function parseEndpointUrl(raw: string): ParsedEndpoint {
  if (raw.length > ENDPOINT_URL_MAX) return { ok: false, problem: `must be at most ${ENDPOINT_URL_MAX} characters` };
  const forbidden = FORBIDDEN_CHARACTERS.exec(raw);
  if (forbidden) {
    return {
      ok: false,
      problem: `must not contain whitespace, control characters or backslashes (found ${JSON.stringify(forbidden[0])} at position ${forbidden.index})`,
    };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: "must be an absolute https URL, such as https://api.anthropic.com" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, problem: "must be an absolute https URL" };
  // `https:host` and `https:///host` parse as https://host/; only the plain spelling is taken as typed.
  if (!/^https?:\/\/[^/]/i.test(raw)) return { ok: false, problem: "must start with https:// followed by the host" };
  if (!url.hostname) return { ok: false, problem: "must name a host" };
  // The typed authority, not just what URL kept: `https://@host` has an empty (dropped) userinfo.
  const authority = /^https?:\/\/([^/?#]*)/i.exec(raw)?.[1] ?? "";
  if (url.username || url.password || authority.includes("@")) {
    return { ok: false, problem: "must not contain credentials; the token belongs in the vault's credential" };
  }
  if (url.search || raw.includes("?")) return { ok: false, problem: "must not contain a query string" };
  if (url.hash || raw.includes("#")) return { ok: false, problem: "must not contain a fragment" };
  const path = url.pathname.replace(/\/+$/, "");
  return { ok: true, url, normalized: `${url.protocol}//${url.host}${path}` };
}

/** The port a URL connects to, its scheme's default when it names none. */
function effectivePort(url: URL): string {
  return url.port || (url.protocol === "https:" ? "443" : "80");
}

/** A hostname as the allow list and the rules compare it: lowercase, no root dot. */
function comparableHost(hostname: string): string {
  const lower = hostname.toLowerCase();
  return lower.endsWith(".") ? lower.slice(0, -1) : lower;
}

function isAllowListed(host: string, port: string, privateEndpoints: PrivateEndpoints): boolean {
  return privateEndpoints.has(host) || privateEndpoints.has(`${host}:${port}`);
}

// ---------------------------------------------------------------------------------------------
// Addresses

/** Dotted-quad IPv4 (URL and the resolver give nothing else) as a 32-bit number, or null. */
function ipv4Number(text: string): number | null {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!match) return null;
  const octets = match.slice(1).map(Number);
  if (octets.some((octet) => octet > 255)) return null;
  return octets.reduce((value, octet) => value * 256 + octet, 0);
}

/** Any textual IPv6 address (brackets, zone id, `::`, a trailing dotted quad) as 8 groups, or null. */
function ipv6Groups(text: string): number[] | null {
  let body = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  const zone = body.indexOf("%");
  if (zone >= 0) body = body.slice(0, zone);
  if (!body.includes(":")) return null;
  let tail: number[] = [];
  const lastColon = body.lastIndexOf(":");
  const last = body.slice(lastColon + 1);
  if (last.includes(".")) {
    const v4 = ipv4Number(last);
    if (v4 === null) return null;
    tail = [Math.floor(v4 / 65536), v4 % 65536];
    body = body.slice(0, lastColon + 1);
    if (!body.endsWith("::")) body = body.slice(0, -1);
  }
  const halves = body.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === "") return [];
    const groups = part.split(":");
    if (groups.some((group) => !/^[0-9a-f]{1,4}$/i.test(group))) return null;
    return groups.map((group) => parseInt(group, 16));
  };
  const head = parse(halves[0] ?? "");
  const rest = halves.length === 2 ? parse(halves[1] ?? "") : [];
  if (!head || !rest) return null;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return null;
  return [...head, ...new Array<number>(8 - known).fill(0), ...rest, ...tail];
}

function inV4(address: number, base: string, bits: number): boolean {
  const network = ipv4Number(base) ?? 0;
  const size = 2 ** (32 - bits);
  return Math.floor(address / size) === Math.floor(network / size);
}

/** Ranges a token never goes to (RFC 6890 and friends); the first match names the reason. */
const IPV4_REFUSED: Array<[string, number, string]> = [
  ["0.0.0.0", 8, "an unspecified address (0.0.0.0/8)"],
  ["10.0.0.0", 8, "a private address (10.0.0.0/8)"],
  ["100.64.0.0", 10, "a shared (carrier-grade NAT) address (100.64.0.0/10)"],
  ["127.0.0.0", 8, "a loopback address (127.0.0.0/8)"],
  ["169.254.0.0", 16, "a link-local address (169.254.0.0/16, where cloud metadata services live)"],
  ["172.16.0.0", 12, "a private address (172.16.0.0/12)"],
  ["192.0.0.0", 24, "an IETF protocol address (192.0.0.0/24)"],
  ["192.0.2.0", 24, "a documentation address (192.0.2.0/24)"],
  ["192.88.99.0", 24, "a 6to4 relay address (192.88.99.0/24)"],
  ["192.168.0.0", 16, "a private address (192.168.0.0/16)"],
  ["198.18.0.0", 15, "a benchmarking address (198.18.0.0/15)"],
  ["198.51.100.0", 24, "a documentation address (198.51.100.0/24)"],
  ["203.0.113.0", 24, "a documentation address (203.0.113.0/24)"],
  ["224.0.0.0", 4, "a multicast address (224.0.0.0/4)"],
  ["240.0.0.0", 4, "a reserved address (240.0.0.0/4)"],
];

function ipv4Refusal(address: number): string | null {
  for (const [base, bits, reason] of IPV4_REFUSED) if (inV4(address, base, bits)) return reason;
  return null;
}

function embeddedV4(high: number, low: number): number {
  return high * 65536 + low;
}

function ipv6Refusal(groups: number[]): string | null {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const upperZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (upperZero && g5 === 0 && g6 === 0 && g7 === 0) return "an unspecified address (::)";
  if (upperZero && g5 === 0 && g6 === 0 && g7 === 1) return "a loopback address (::1)";
  if (upperZero && (g5 === 0xffff || g5 === 0)) {
    const inner = ipv4Refusal(embeddedV4(g6, g7));
    const kind = g5 === 0xffff ? "IPv4-mapped" : "IPv4-compatible";
    return inner ? `an ${kind} IPv6 form of ${inner}` : g5 === 0 ? "an IPv4-compatible IPv6 address (deprecated, ::/96)" : null;
  }
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    const inner = ipv4Refusal(embeddedV4(g6, g7));
    return inner ? `a NAT64 form of ${inner}` : null;
  }
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return "a local-use NAT64 address (64:ff9b:1::/48)";
  if (g0 === 0x2002) {
    const inner = ipv4Refusal(embeddedV4(g1, g2));
    return inner ? `a 6to4 form of ${inner}` : null;
  }
  if ((g0 & 0xfe00) === 0xfc00) return "a unique-local address (fc00::/7)";
  if ((g0 & 0xffc0) === 0xfe80) return "a link-local address (fe80::/10)";
  if ((g0 & 0xffc0) === 0xfec0) return "a site-local address (fec0::/10)";
  if ((g0 & 0xff00) === 0xff00) return "a multicast address (ff00::/8)";
  if (g0 === 0x2001 && g1 < 0x200) return "an IETF protocol address (2001::/23, Teredo included)";
  if (g0 === 0x2001 && g1 === 0xdb8) return "a documentation address (2001:db8::/32)";
  if ((g0 & 0xfff0) === 0x3ff0) return "a documentation address (3fff::/20)";
  // Everything outside global unicast 2000::/3 is special-purpose (discard, reserved, …).
  if ((g0 & 0xe000) !== 0x2000) return "a special-purpose IPv6 address (outside 2000::/3)";
  return null;
}

/** Why an IP address (any textual form) is refused, or null for a public one; undefined if not an IP. */
export function addressRefusal(address: string): string | null | undefined {
  const v4 = ipv4Number(address);
  if (v4 !== null) return ipv4Refusal(v4);
  const v6 = ipv6Groups(address);
  return v6 ? ipv6Refusal(v6) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Names

/** Names of cloud metadata services that sit outside the suffixes below. */
const METADATA_NAMES = new Set(["metadata.goog", "metadata.tencentyun.com", "metadata.azure.com"]);

/** Special-use and private-use suffixes (RFC 6761, 6762, 8375, ICANN's .internal). */
const LOCAL_SUFFIXES = ["localhost", "internal", "local", "localdomain", "home.arpa"];

function nameRefusal(host: string): string | null {
  if (host === "localhost" || host.endsWith(".localhost")) return "a loopback name (localhost)";
  if (METADATA_NAMES.has(host)) return "a cloud metadata service name";
  const suffix = LOCAL_SUFFIXES.find((candidate) => host === candidate || host.endsWith(`.${candidate}`));
  if (suffix) return `a local-only name (.${suffix}; metadata.google.internal and cluster names live there)`;
  // A name without a dot goes through the resolver's search domains: an internal name.
  if (!host.includes(".")) return "a single-label (internal) name";
  return null;
}

/** Why a host (name or IP, as URL gives it) is refused before any lookup; null when it may be dialled. */
function hostRefusal(host: string): string | null {
  const address = addressRefusal(host);
  return address === undefined ? nameRefusal(host) : address;
}

/**
 * Why this URL's destination is refused, or null. Checked at write time and again, before any DNS
 * lookup, at connect time. An allow-listed host passes whatever it is, and may use plain http.
 */
export function endpointRefusal(url: URL, privateEndpoints: PrivateEndpoints): string | null {
  const host = comparableHost(url.hostname);
  if (isAllowListed(host, effectivePort(url), privateEndpoints)) return null;
  const reason = hostRefusal(host);
  if (reason) return `${url.hostname} is ${reason}; the console sends tokens only to public https endpoints unless you ${ALLOW_LIST_HINT}`;
  if (url.protocol !== "https:") return `must use https (plain http only for a host listed in CONSOLE_PRIVATE_ENDPOINTS)`;
  return null;
}

/**
 * Why the egress proxy may not connect to this destination at all, or null: the host half of
 * `endpointRefusal` (a loopback, private or metadata destination only when allow-listed). Plain
 * http is a matter for the credential stored for a host, not for the connection.
 */
export function destinationRefusal(url: URL, privateEndpoints: PrivateEndpoints): string | null {
  const host = comparableHost(url.hostname);
  if (isAllowListed(host, effectivePort(url), privateEndpoints)) return null;
  const reason = hostRefusal(host);
  return reason ? `${url.hostname} is ${reason}; ${ALLOW_LIST_HINT}` : null;
}

/** Parse, normalize and check in one step: what a vault may store, and what the boundary may dial. */
export function checkEndpoint(raw: string, privateEndpoints: PrivateEndpoints): ParsedEndpoint {
  const parsed = parseEndpointUrl(raw);
  if (!parsed.ok) return parsed;
  const refusal = endpointRefusal(parsed.url, privateEndpoints);
  return refusal ? { ok: false, problem: refusal } : parsed;
}

/**
 * At connect time, for each address a name resolved to: why it is refused, or null. A name the
 * operator allow-listed may resolve anywhere; so may any name to an allow-listed address. Other
 * names must resolve to public addresses only, so DNS rebinding cannot reach a refused one.
 */
export function resolvedAddressRefusal(url: URL, address: string, privateEndpoints: PrivateEndpoints): string | null {
  const port = effectivePort(url);
  if (isAllowListed(comparableHost(url.hostname), port, privateEndpoints)) return null;
  const host = address.includes(":") ? `[${address.replace(/%.*$/, "")}]` : address;
  let canonical = host;
  try {
    canonical = new URL(`http://${host}`).hostname;
  } catch {
    return `${url.hostname} resolved to ${address}, which is not an IP address`;
  }
  if (isAllowListed(canonical, port, privateEndpoints)) return null;
  const reason = addressRefusal(address);
  if (reason === undefined) return `${url.hostname} resolved to ${address}, which is not an IP address`;
  return reason ? `${url.hostname} resolved to ${address}, ${reason}; ${ALLOW_LIST_HINT}` : null;
}

// ---------------------------------------------------------------------------------------------
// CONSOLE_PRIVATE_ENDPOINTS

export type ParsedPrivateEndpoints = { ok: true; endpoints: PrivateEndpoints } | { ok: false; problem: string };

/**
 * `host` or `host:port` entries, comma separated: names, IPv4, or bracketed IPv6. Each is read as
 * URL reads a host, so `127.1` and `127.0.0.1` are one entry and `[::1]` matches `http://[::1]`.
 */
export function parsePrivateEndpoints(value: string): ParsedPrivateEndpoints {
  const endpoints = new Set<string>();
  for (const entry of value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const problem = `${JSON.stringify(entry)} is not a host or host:port (for example 127.0.0.1, gateway.internal:8443 or [::1]:8080)`;
    if (FORBIDDEN_CHARACTERS.test(entry) || /[/?#@]/.test(entry)) return { ok: false, problem };
    let url: URL;
    try {
      url = new URL(`http://${entry}`);
    } catch {
      return { ok: false, problem };
    }
    const host = comparableHost(url.hostname);
    const explicitPort = /:\d+$/.test(entry) && !/^\[[^\]]*\]$/.test(entry);
    const port = explicitPort ? entry.slice(entry.lastIndexOf(":") + 1) : "";
    if (explicitPort && (Number(port) < 1 || Number(port) > 65535)) return { ok: false, problem };
    endpoints.add(port ? `${host}:${Number(port)}` : host);
  }
  return { ok: true, endpoints };
}
