"use client";

import { useState, useTransition } from "react";
import { testVaultConnectionAction, type ConnectionTestState } from "@/lib/actions/vaults";
import { Alert, type AlertTone } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { formatDateTime } from "@/lib/format";

type Outcome = Extract<ConnectionTestState, { ok: true }>["outcome"];

const OUTCOMES: Record<Outcome, { tone: AlertTone; title: string; advice: string }> = {
  ok: { tone: "success", title: "Connection OK", advice: "The endpoint accepted the stored token." },
  token_refused: {
    tone: "danger",
    title: "Token refused",
    advice: "The endpoint answered but refused the token. Use Rotate on the token below to replace it.",
  },
  not_anthropic_compatible: {
    tone: "warning",
    title: "Not Anthropic-compatible",
    advice:
      "The endpoint does not answer like the Anthropic API. Archive the token, then use Edit vault to point the Base URL at an Anthropic-compatible endpoint (or empty it for https://api.anthropic.com), and add the token again.",
  },
  unreachable: {
    tone: "danger",
    title: "Unreachable",
    advice: "Nothing answered at the base URL. Check the address, the network and that the service is up.",
  },
};

/**
 * Sends one request to the vault's model endpoint with its stored token (server side) and says
 * what came back. The result carries no token and no upstream body.
 */
export function TestConnection({ vaultId, hasToken }: { vaultId: string; hasToken: boolean }) {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<ConnectionTestState | null>(null);
  const outcome = result?.ok ? OUTCOMES[result.outcome] : null;
  return (
    <Card>
      <CardHeader
        title="Connection"
        description="Send one request (GET /v1/models) to the base URL with the stored token, to see whether a session would reach the model."
        actions={
          <Button
            pending={pending}
            disabled={!hasToken}
            onClick={() =>
              startTransition(async () => {
                setResult(await testVaultConnectionAction(vaultId));
              })
            }
          >
            {pending ? "Testing…" : "Test connection"}
          </Button>
        }
      />
      <CardBody>
        <div aria-live="polite" data-testid="connection-result">
          {!hasToken ? (
            <p className="text-sm text-fg-muted">Add the model token first; there is nothing to test yet.</p>
          ) : result === null ? (
            <p className="text-sm text-fg-muted">Not tested yet.</p>
          ) : result.ok && outcome ? (
            <Alert tone={outcome.tone} title={outcome.title}>
              <p>{outcome.advice}</p>
              <p className="mt-1 text-[12.5px] opacity-90">
                {result.message}
                {result.status !== null ? ` · HTTP ${result.status}` : ""} · {formatDateTime(result.checkedAt)}
              </p>
            </Alert>
          ) : (
            <Alert tone="danger">{result.ok ? null : result.error}</Alert>
          )}
        </div>
      </CardBody>
    </Card>
  );
}
