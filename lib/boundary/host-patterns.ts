// Pure (no Node imports): the egress proxy decides with it, and the session page shows the same decision.

/** Whether a host pattern (`api.example.com`, `*.example.org`, `*`) covers a lower-case host. */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === "*") return true;
  if (pattern.startsWith("*.")) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return pattern === host;
}
