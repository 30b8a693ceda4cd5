import { readdirSync } from "node:fs";
import { join } from "node:path";

/** Paths deeper than this are one label: no real route is, and a metric label set must stay small. */
const MAX_SEGMENTS = 7;

/**
 * A request path as a route template, for metric labels and log lines: `/v1/vaults/vlt_…/credentials`
 * becomes `/v1/vaults/:id/credentials`. A segment stays as it is only when some route of the app
 * has it as a literal folder name; every other segment is a parameter. So the set of templates is
 * bounded by the app's own folders whatever paths clients send, and no id ever becomes a label.
 */
export function routeTemplateOf(pathname: string, literalSegments: ReadonlySet<string>): string {
  if (pathname.startsWith("/_next/")) return "/_next/*";
  if (pathname.startsWith("/boundary/")) return "/boundary/*";
  if (pathname.startsWith("/api/auth/")) return "/api/auth/*";
  const segments = pathname.split("/").filter((segment) => segment.length > 0);
  if (segments.length > MAX_SEGMENTS) return "/*";
  return `/${segments.map((segment) => (literalSegments.has(segment) ? segment : ":id")).join("/")}`;
}

/**
 * The literal folder names under app/ (route groups `(…)` and dynamic `[…]` folders excluded), read
 * once at start: they are exactly the path segments a route can match without a parameter.
 */
export function literalRouteSegments(appDir: string): Set<string> {
  const literals = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const name = entry.name;
      if (name.startsWith("[")) {
        if (entry.isDirectory()) walk(join(dir, name));
        continue;
      }
      if (name.startsWith("(") && entry.isDirectory()) {
        walk(join(dir, name));
        continue;
      }
      // Files served as paths of their own (icon.svg, egress-ca.pem) are literal too.
      if (entry.isDirectory() || /\.(svg|ico|png|pem|txt|xml)$/.test(name)) literals.add(name);
      if (entry.isDirectory()) walk(join(dir, name));
    }
  };
  walk(appDir);
  return literals;
}
