import { ConsoleError, invalidField } from "@/lib/errors";

export const MAX_BODY_BYTES = 1024 * 1024;

function tooLarge(): ConsoleError {
  return new ConsoleError("request_too_large", `Request body is larger than the ${MAX_BODY_BYTES} byte (1 MiB) limit`);
}

/**
 * Reads a JSON body without trusting Content-Length: the stream is cut off past 1 MiB. An empty
 * body reads as `{}` so that missing fields are reported by name. The parser's own message is
 * not echoed, since it quotes the body (which may hold a token).
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return {};

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidField("body", "is not valid JSON");
  }
}
