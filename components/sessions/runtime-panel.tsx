import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";

/** How the placeholder is shown: its prefix only. The page never holds a placeholder, let alone the token. */
export const PLACEHOLDER_DISPLAY = "s0rt_…";

/**
 * The environment the session's runtime receives (SPEC §7). Shown, not issued: issuing a
 * placeholder revokes the runtime's live one, so only a runtime key asks for it.
 */
export function RuntimePanel({ sessionId, boundaryUrl, ready, engine }: { sessionId: string; boundaryUrl: string; ready: boolean; engine: string }) {
  const variables: { name: string; value: string; note: string; copy: boolean }[] = [
    { name: "ANTHROPIC_BASE_URL", value: boundaryUrl, note: "This console's credential boundary for the session", copy: true },
    {
      name: "ANTHROPIC_API_KEY",
      value: PLACEHOLDER_DISPLAY,
      note: "A per-session placeholder, swapped for the token at the boundary",
      copy: false,
    },
    { name: "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", value: "1", note: "Keeps Claude Code from calling Anthropic around the boundary", copy: false },
  ];
  return (
    <Card>
      <CardHeader title="Runtime" description={`What the runtime's harness (engine ${engine}) receives. The model token never leaves the console.`} />
      <CardBody className="space-y-3">
        <dl className="divide-y divide-border rounded-md border border-border" data-testid="runtime-env">
          {variables.map((variable) => (
            <div key={variable.name} className="grid gap-1 px-3 py-2.5 sm:grid-cols-[13rem_1fr_auto] sm:items-center">
              <dt className="font-mono text-[12.5px] font-medium">{variable.name}</dt>
              <dd className="min-w-0">
                <span className="block font-mono text-[12.5px] break-all">{variable.value}</span>
                <span className="block text-xs text-fg-muted">{variable.note}</span>
              </dd>
              <dd>{variable.copy ? <CopyButton text={variable.value} label="Copy" variant="ghost" /> : null}</dd>
            </div>
          ))}
        </dl>
        <p className="text-[13px] text-fg-muted">
          A runtime key scoped to this session (or its environment) fetches these with a fresh placeholder from{" "}
          <code className="rounded bg-surface-3 px-1 py-0.5 font-mono text-[12px]">POST /v1/sessions/{sessionId}/runtime</code>; each fetch revokes the previous
          placeholder.{" "}
          {ready ? "The session is ready, so the runtime gets them." : "Until the diagnostics pass, that request answers 409 with the failing checks."}
        </p>
      </CardBody>
    </Card>
  );
}
