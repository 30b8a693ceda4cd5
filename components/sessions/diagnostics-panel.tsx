import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { DIAGNOSTIC_LABELS, diagnosticFix, type DiagnosticFix } from "@/lib/diagnostic-fixes";
import type { DiagnosticsObject } from "@/lib/serializers/diagnostics";

export const READY_LINE = "Ready: the runtime will get the model token through the credential boundary";

function FixLink({ fix, primary }: { fix: DiagnosticFix; primary?: boolean }) {
  return (
    <Link href={fix.href} className={buttonClasses(primary ? "primary" : "secondary", "sm")} data-testid="diagnostic-fix">
      {fix.label}
    </Link>
  );
}

/**
 * Why a session would or would not get model output. Ready: one green line. Not ready: the first
 * failing check up front with the one button that fixes it (checks are ordered the way a person
 * should fix them), then every check. A skipped check waits on an earlier failure (one failure per
 * cause), so it is listed but neither counted nor given a button of its own.
 */
export function DiagnosticsPanel({
  diagnostics,
  sessionId,
  llmVaultId,
  canFix,
}: {
  diagnostics: DiagnosticsObject;
  sessionId: string;
  /** The one attached LLM vault (archived or not), for the buttons that open its page. */
  llmVaultId: string | null;
  /** Owners and admins on a live session get the fix buttons; viewers read the checks. */
  canFix: boolean;
}) {
  const failing = diagnostics.checks.filter((check) => !check.ok && !check.skipped);
  const first = failing[0];
  const fixOf = (code: (typeof diagnostics.checks)[number]["code"]) => (canFix ? diagnosticFix(code, { sessionId, llmVaultId }) : null);
  const firstFix = first ? diagnosticFix(first.code, { sessionId, llmVaultId }) : null;
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
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div className="min-w-0">
                    <p className="text-[15px] font-medium" data-testid="first-fix">
                      {DIAGNOSTIC_LABELS[first.code]}
                    </p>
                    <p className="mt-1 text-[13px] opacity-90">{firstFix?.hint ?? first.fix}</p>
                  </div>
                  {canFix && firstFix ? <FixLink fix={firstFix} primary /> : null}
                </div>
              </Alert>
            ) : null}
            <ul className="divide-y divide-border rounded-md border border-border" aria-label="Checks">
              {diagnostics.checks.map((check) => {
                const fix = !check.ok && !check.skipped && check !== first ? fixOf(check.code) : null;
                return (
                  <li key={check.code} className="grid gap-1 px-3 py-2.5 sm:grid-cols-[5rem_1fr_auto]" data-testid="diagnostic-check">
                    <span>
                      {check.ok ? (
                        <Badge tone="success" dot>
                          OK
                        </Badge>
                      ) : check.skipped ? (
                        <Badge tone="neutral">Waiting</Badge>
                      ) : (
                        <Badge tone="danger" dot>
                          Fail
                        </Badge>
                      )}
                    </span>
                    <span className="min-w-0 text-[13px]">
                      {check.ok ? null : <span className="block font-medium">{DIAGNOSTIC_LABELS[check.code]}</span>}
                      <span className="block">{check.message}</span>
                      {!check.ok && !check.skipped && check.fix ? (
                        <span className="mt-0.5 block text-fg-muted">{diagnosticFix(check.code, { sessionId, llmVaultId })?.hint ?? `Fix: ${check.fix}`}</span>
                      ) : null}
                      <span className="font-mono text-[11px] text-fg-subtle">{check.code}</span>
                    </span>
                    <span className="sm:text-right">{fix ? <FixLink fix={fix} /> : null}</span>
                  </li>
                );
              })}
            </ul>
          </>
        )}
      </div>
    </Card>
  );
}
