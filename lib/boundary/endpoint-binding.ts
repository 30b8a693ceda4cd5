/**
 * The one decision of whether an LLM vault's token may be sent to the endpoint the vault names now
 * (SPEC §7): the stored llm_base_url must pass the endpoint policy with the operator's
 * CONSOLE_PRIVATE_ENDPOINTS, and the credential must have been stored for that URL's origin. The
 * boundary and Test connection refuse with 409 on it; the session diagnostics fail on it, so a
 * session is never "ready" while every model call would be refused.
 *
 * Pure (no Node or Next imports): the diagnostics and the boundary both run outside Next too.
 */
import { checkEndpoint, parseEndpointUrl, type ParsedEndpoint, type PrivateEndpoints } from "@/lib/boundary/endpoint-policy";
import { storedMetadata } from "@/lib/validation/common";
import { llmBaseUrlOf } from "@/lib/validation/reserved-metadata";

export type EndpointBinding =
  | { ok: true; url: URL }
  /** The stored URL fails the policy (a row written before it, or an allow list since narrowed). */
  | {
      ok: false;
      code: "endpoint_refused";
      baseUrl: string;
      problem: string;
      /** The host an operator could list in CONSOLE_PRIVATE_ENDPOINTS; null when the value itself is malformed. */
      host: string | null;
    }
  /** The credential was stored for another origin, or before binding existed (null). */
  | { ok: false; code: "endpoint_not_bound"; boundOrigin: string | null; currentOrigin: string };

/** Verdicts remembered per allow list and stored URL: the check is on the path of every model call. */
const endpointVerdicts = new WeakMap<PrivateEndpoints, Map<string, ParsedEndpoint>>();
const ENDPOINT_VERDICTS_MAX = 1_000;

/** checkEndpoint, remembered. The URL it returns is shared between calls: read it, never change it. */
function checkedEndpoint(raw: string, privateEndpoints: PrivateEndpoints): ParsedEndpoint {
  let verdicts = endpointVerdicts.get(privateEndpoints);
  if (!verdicts) endpointVerdicts.set(privateEndpoints, (verdicts = new Map()));
  let verdict = verdicts.get(raw);
  if (!verdict) {
    verdict = checkEndpoint(raw, privateEndpoints);
    if (verdicts.size >= ENDPOINT_VERDICTS_MAX) verdicts.clear();
    verdicts.set(raw, verdict);
  }
  return verdict;
}

/**
 * Where the token of an LLM vault may go right now. `credential` is the one holding the token;
 * without one (the diagnostics of a vault with no credential) only the policy is checked. The URL
 * returned is shared between calls: read it, never change it.
 */
export function endpointBinding(vaultMetadata: unknown, privateEndpoints: PrivateEndpoints, credential?: { endpointOrigin: string | null }): EndpointBinding {
  const baseUrl = llmBaseUrlOf(storedMetadata(vaultMetadata)).url;
  const checked = checkedEndpoint(baseUrl, privateEndpoints);
  if (!checked.ok) {
    const parsed = parseEndpointUrl(baseUrl);
    return { ok: false, code: "endpoint_refused", baseUrl, problem: checked.problem, host: parsed.ok ? parsed.url.host : null };
  }
  if (credential && checked.url.origin !== credential.endpointOrigin) {
    return { ok: false, code: "endpoint_not_bound", boundOrigin: credential.endpointOrigin, currentOrigin: checked.url.origin };
  }
  return { ok: true, url: checked.url };
}
