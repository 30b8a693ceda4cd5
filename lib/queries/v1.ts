import { BETA_HEADER, BETA_VERSION } from "@/lib/http/headers";

/** A /v1 list response: one page of objects and the cursor of the next. */
export interface Page<T> {
  data: T[];
  next_page: string | null;
}

/** An error response from /v1, in the API's own envelope. */
export class V1Error extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = "V1Error";
  }
}

/**
 * The console's pages read the same /v1 routes as the SDK. No API key: the browser sends the
 * session cookie, which /v1 accepts on same-origin requests only and with the user's role.
 */
export async function v1Get<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, {
    method: "GET",
    credentials: "same-origin",
    headers: { [BETA_HEADER]: BETA_VERSION, accept: "application/json" },
    signal,
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = body && typeof body === "object" && "error" in body ? (body as { error: { type?: string; message?: string } }).error : undefined;
    throw new V1Error(response.status, error?.type ?? "api_error", error?.message ?? `Request failed with status ${response.status}`);
  }
  return body as T;
}
