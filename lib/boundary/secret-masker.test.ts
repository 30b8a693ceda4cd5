import { describe, expect, it } from "vitest";
import { maskOf, redactText, SecretMasker } from "@/lib/boundary/secret-masker";

const SECRET = "sk-ant-api03-CANARYSECRET-redact-0123456789";
const REDACTED = maskOf(SECRET);

/** Feeds `chunks` to a masker: what it released for each chunk, then what it released at the end. */
function run(chunks: string[]): string[] {
  const masker = new SecretMasker(SECRET);
  const released = chunks.map((chunk) => masker.push(Buffer.from(chunk, "utf8")).toString("utf8"));
  return [...released, masker.end().toString("utf8")];
}

describe("SecretMasker", () => {
  it("masks the secret inside one chunk, every occurrence", () => {
    expect(run([`a ${SECRET} b ${SECRET}`]).join("")).toBe(`a ${REDACTED} b ${REDACTED}`);
  });

  it("masks a secret split across chunks, at every split point", () => {
    const text = `invalid key: ${SECRET}\n\n`;
    for (let split = 1; split < text.length; split++) {
      const output = run([text.slice(0, split), text.slice(split)]).join("");
      expect(output, `split at ${split}`).toBe(`invalid key: ${REDACTED}\n\n`);
    }
  });

  it("passes SSE events through as they come: nothing held back at an event's end", () => {
    const events = ['event: ping\ndata: {"type":"ping"}\n\n', 'event: message_stop\ndata: {"type":"message_stop"}\n\n'];
    expect(run(events)).toEqual([...events, ""]);
  });

  it("holds back only a tail that could start the secret, and releases it at the end", () => {
    expect(run(["text ending in sk-an", "d more"])).toEqual(["text ending in ", "sk-and more", ""]);
    expect(run(["unfinished sk-ant"])).toEqual(["unfinished ", "sk-ant"]);
  });
});

describe("maskOf", () => {
  it("is as long as the secret in bytes, so a masked body keeps its content-length", () => {
    expect(maskOf(SECRET)).toBe("*".repeat(SECRET.length));
    expect(Buffer.byteLength(maskOf("ключ"))).toBe(Buffer.byteLength("ключ"));
  });
});

describe("redactText", () => {
  it("masks the secret in a header value", () => {
    expect(redactText(`Bearer ${SECRET}`, SECRET)).toBe(`Bearer ${REDACTED}`);
  });
});
