import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import type { SessionUsage } from "@/lib/server/resource-usage";

export const USED_BY_REASON_ID = "used-by-reason";

/**
 * "Used by N sessions" on a vault's or an environment's page, with links to the newest few. While
 * any session (archived ones too) uses the resource it cannot be deleted, so this card also says
 * why the Delete button is disabled and what to do first.
 */
export function UsedBySessions({ usage, noun, unblock }: { usage: SessionUsage; noun: "vault" | "environment"; unblock: string }) {
  const { count, sessions } = usage;
  return (
    <Card>
      <CardHeader title={count === 0 ? "Not used by any session" : `Used by ${count} session${count === 1 ? "" : "s"}`} />
      <CardBody>
        {count === 0 ? (
          <p className="text-sm text-fg-muted">No session references this {noun}, so it can be deleted.</p>
        ) : (
          <>
            <ul className="space-y-1.5" aria-label={`Sessions using this ${noun}`}>
              {sessions.map((session) => (
                <li key={session.id} className="flex min-w-0 flex-wrap items-baseline gap-x-2 text-sm">
                  <Link href={`/sessions/${session.id}`} className="font-medium hover:underline">
                    {session.title ?? "Untitled session"}
                  </Link>
                  <span className="font-mono text-[11.5px] text-fg-subtle">{session.id}</span>
                  {session.archivedAt ? <Badge>Archived</Badge> : null}
                </li>
              ))}
            </ul>
            {count > sessions.length ? <p className="mt-1.5 text-xs text-fg-muted">and {count - sessions.length} more.</p> : null}
            <p id={USED_BY_REASON_ID} className="mt-3 text-[13px] text-fg-muted">
              It cannot be deleted while a session uses it (archived sessions too): {unblock}
            </p>
          </>
        )}
      </CardBody>
    </Card>
  );
}
