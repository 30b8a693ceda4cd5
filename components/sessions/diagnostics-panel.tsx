import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import type { DiagnosticsObject } from "@/lib/serializers/diagnostics";

export const READY_LINE = "Ready: the runtime will get the model token through the credential boundary";

/**
 * Why a session would or would not get model output. Ready: one green line. Not ready: the first
 * failing check's fix up front (checks are ordered the way a person should fix them), then every check.
 */
export function DiagnosticsPanel({ diagnostics }: { diagnostics: DiagnosticsObject }) {
  // Skipped checks fail only because an earlier one did; they are shown, but not counted or repeated.
  const failing = diagnostics.checks.filter((check) => !check.ok && !check.skipped);
  const first = failing[0];
  return (
    <Card>
      <CardHeader
        id="diagnostics-heading"
        title="Diagnostics"
        description="The checks behind “why would this session produce no model output”, as GET /v1/sessions/{id}/diagnostics returns them."
        actions={
          diagnostics.ready ? (
            <Badge tone="success" dot>
              Ready
            </Badge>
          ) : (
            <Badge tone="danger" dot>
              {failing.length} failing check{failing.length === 1 ? "" : "s"}
            </Badge>
          )
        }
      />
      <div className="px-4 py-4" data-testid="diagnostics">
        {diagnostics.ready ? (
          <p className="flex items-center gap-2 text-sm font-medium text-success-soft-fg">
            <svg viewBox="0 0 16 16" className="size-4 shrink-0" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
              <path d="m3.5 8.5 3 3 6-7" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
            {READY_LINE}
          </p>
        ) : (
          <>
            {first ? (
              <Alert tone="danger" title="Fix this first" className="mb-4">
                <p className="text-[15px] font-medium" data-testid="first-fix">
                  {first.fix}
                </p>
                <p className="mt-1 text-[13px] opacity-90">
                  <span className="font-mono">{first.code}</span>: {first.message}
                </p>
              </Alert>
            ) : null}
            <ul className="divide-y divide-border rounded-md border border-border" aria-label="Checks">
              {diagnostics.checks.map((check) => (
                <li key={check.code} className="grid gap-1 px-3 py-2.5 sm:grid-cols-[5rem_1fr]" data-testid="diagnostic-check">
                  <span>
                    {check.ok ? (
                      <Badge tone="success" dot>
                        OK
                      </Badge>
                    ) : check.skipped ? (
                      <Badge tone="neutral">Skipped</Badge>
                    ) : (
                      <Badge tone="danger" dot>
                        Fail
                      </Badge>
                    )}
                  </span>
                  <span className="min-w-0 text-[13px]">
                    <span className="font-mono text-xs text-fg-muted">{check.code}</span>
                    <span className="block">{check.message}</span>
                    {check.fix && !check.skipped ? <span className="mt-0.5 block text-fg-muted">Fix: {check.fix}</span> : null}
                  </span>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </Card>
  );
}
