import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { CopyButton } from "@/components/ui/copy-button";
import { Tabs } from "@/components/ui/tabs";

/** How the placeholder is shown: its prefix only. The page never holds a placeholder, let alone the token. */
const PLACEHOLDER_DISPLAY = "s0rt_…";
/** The same for an environment_variable credential's placeholder. */
const VARIABLE_PLACEHOLDER_DISPLAY = "s0ev_…";

/** What the egress tab shows when the console runs the proxy; null when CONSOLE_EGRESS_PORT is 0. */
export interface EgressRuntimeView {
  /** The proxy's host:port as runtimes reach it. */
  proxyAddress: string;
  llmBaseUrl: string;
  caPath: string;
  /** The secret_name of each environment_variable credential in the attached vaults. */
  variableNames: string[];
  caFingerprint: string;
  caDownloadHref: string;
  snippet: string;
}

interface Variable {
  names: string[];
  value: string;
  note: string;
  copy?: boolean;
}

function VariableList({ variables, testId }: { variables: Variable[]; testId: string }) {
  return (
    <dl className="divide-y divide-border rounded-md border border-border" data-testid={testId}>
      {variables.map((variable) => (
        <div key={variable.names.join(",")} className="grid gap-1 px-3 py-2.5 sm:grid-cols-[19rem_1fr_auto] sm:items-center">
          <dt className="font-mono text-[12.5px] font-medium break-all">
            {variable.names.map((name) => (
              <span key={name} className="block">
                {name}
              </span>
            ))}
          </dt>
          <dd className="min-w-0">
            <span className="block font-mono text-[12.5px] break-all">
              {variable.value === "" ? <span className="text-fg-subtle">(empty)</span> : variable.value}
            </span>
            <span className="block text-xs text-fg-muted">{variable.note}</span>
          </dd>
          <dd>{variable.copy ? <CopyButton text={variable.value} label="Copy" variant="ghost" /> : null}</dd>
        </div>
      ))}
    </dl>
  );
}

function Mono({ children }: { children: ReactNode }) {
  // wrap-anywhere: a session's runtime path is one 50-character word, wider than a phone's column.
  return <code className="rounded bg-surface-3 px-1 py-0.5 font-mono text-[12px] wrap-anywhere">{children}</code>;
}

const OFFLINE: Variable = {
  names: ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"],
  value: "1",
  note: "Keeps Claude Code from calling Anthropic with the placeholder (bootstrap, metrics, event logging)",
};

function egressVariables(sessionId: string, egress: EgressRuntimeView): Variable[] {
  const proxy = `http://${sessionId}:${PLACEHOLDER_DISPLAY}@${egress.proxyAddress}`;
  return [
    { names: ["HTTPS_PROXY", "HTTP_PROXY"], value: proxy, note: "The egress proxy; the session id and its placeholder are the proxy credentials" },
    { names: ["NO_PROXY"], value: "", note: "Every request goes through the proxy" },
    {
      names: ["ANTHROPIC_BASE_URL"],
      value: egress.llmBaseUrl,
      note: "The LLM vault's real endpoint; the proxy injects the token on the way",
      copy: true,
    },
    { names: ["ANTHROPIC_API_KEY"], value: PLACEHOLDER_DISPLAY, note: "The placeholder; the proxy removes it and sends the real token instead" },
    {
      names: ["NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "GIT_SSL_CAINFO"],
      value: egress.caPath,
      note: "Where the runtime writes ca_bundle: the egress CA, then the public roots",
    },
    OFFLINE,
    ...egress.variableNames.map((name) => ({
      names: [name],
      value: VARIABLE_PLACEHOLDER_DISPLAY,
      note: "An environment_variable credential: the proxy swaps this placeholder for the value, on its allowed hosts only",
    })),
  ];
}

/**
 * The environment the session's runtime receives in each mode (SPEC §7). Shown, not issued:
 * issuing a placeholder revokes the runtime's live one, so only a runtime key asks for it.
 */
export function RuntimePanel({
  sessionId,
  boundaryUrl,
  ready,
  engine,
  boundarySnippet,
  egress,
  reach,
}: {
  sessionId: string;
  boundaryUrl: string;
  ready: boolean;
  engine: string;
  boundarySnippet: string;
  egress: EgressRuntimeView | null;
  /** The egress reach table, rendered by the page from the session's egress plan. */
  reach: ReactNode;
}) {
  const boundaryVariables: Variable[] = [
    { names: ["ANTHROPIC_BASE_URL"], value: boundaryUrl, note: "This console's credential boundary for the session", copy: true },
    { names: ["ANTHROPIC_API_KEY"], value: PLACEHOLDER_DISPLAY, note: "A per-session placeholder, swapped for the token at the boundary" },
    OFFLINE,
  ];
  const endpoint = <Mono>POST /v1/sessions/{sessionId}/runtime</Mono>;
  const readiness = ready ? "The session is ready, so the runtime gets them." : "Until the diagnostics pass, that request answers 409 with the failing checks.";
  return (
    <Card>
      <CardHeader
        title="Runtime"
        description={`What the runtime's harness (engine ${engine}) receives, in either mode. No secret leaves the console: the runtime holds placeholders.`}
      />
      <CardBody>
        <Tabs
          label="Runtime mode"
          items={[
            {
              value: "boundary",
              title: "Boundary",
              content: (
                <div className="space-y-3">
                  <p className="text-[13px] text-fg-muted">
                    The runtime sends its model calls to this console, which forwards them to the LLM vault&apos;s endpoint with the real token. Only model
                    calls get a credential; networking is not enforced in this mode.
                  </p>
                  <VariableList variables={boundaryVariables} testId="runtime-env" />
                  <p className="text-[13px] text-fg-muted">
                    A runtime key scoped to this session (or its environment) fetches these with a fresh placeholder from {endpoint} (no body, or{" "}
                    <Mono>{'{"mode":"boundary"}'}</Mono>); each fetch revokes the previous placeholder. {readiness}
                  </p>
                  <CodeBlock label="runtime-boundary.ts" code={boundarySnippet} />
                </div>
              ),
            },
            {
              value: "egress",
              title: "Egress proxy",
              content: (
                <div className="space-y-4">
                  <p className="text-[13px] text-fg-muted">
                    The runtime keeps the real endpoints and sends all its traffic through the console&apos;s egress proxy, which enforces the
                    environment&apos;s networking and injects each credential for its own hosts only.
                  </p>
                  {egress ? (
                    <>
                      <VariableList variables={egressVariables(sessionId, egress)} testId="runtime-egress-env" />
                      <p className="text-[13px] text-fg-muted">
                        The same request with <Mono>{'{"mode":"egress"}'}</Mono> answers these, plus <Mono>ca_certificate</Mono> and <Mono>ca_bundle</Mono>,
                        which the runtime writes to <Mono>{egress.caPath}</Mono> (or the <Mono>ca_path</Mono> it asks for). {readiness}
                      </p>
                      <CodeBlock label="runtime-egress.ts" code={egress.snippet} />
                      <div className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-border px-3 py-2.5">
                        <div className="min-w-0">
                          <p className="text-[13px] font-medium">Egress CA certificate</p>
                          <p className="text-xs text-fg-muted">
                            The proxy signs the certificates of the hosts it injects into with it. After <Mono>npm run egress:rotate-ca</Mono>, runtimes fetch
                            their settings again. SHA-256 fingerprint:
                          </p>
                          <p className="font-mono text-[12px] break-all" data-testid="egress-ca-fingerprint">
                            {egress.caFingerprint}
                          </p>
                        </div>
                        <a href={egress.caDownloadHref} download="console-egress-ca.pem" className={buttonClasses("secondary", "sm")}>
                          Download CA certificate
                        </a>
                      </div>
                    </>
                  ) : (
                    <Alert tone="warning" title="The egress proxy is off on this console">
                      It runs when the console starts with <Mono>CONSOLE_EGRESS_PORT</Mono> set to a free port (<Mono>3128</Mono> unless set; <Mono>0</Mono>{" "}
                      turns it off). Until then the runtime request with <Mono>{'{"mode":"egress"}'}</Mono> answers 409; the reach below is what the proxy would
                      apply.
                    </Alert>
                  )}
                  {reach}
                </div>
              ),
            },
          ]}
        />
      </CardBody>
    </Card>
  );
}
