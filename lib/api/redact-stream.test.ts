import { describe, expect, it } from "vitest";
import { once } from "node:events";
import { REDACTED, redactingTransform, redactText } from "@/lib/api/redact-stream";

const SECRET = "sk-ant-api03-CANARYSECRET-redact-0123456789";

/** Pipes `chunks` through the redactor; returns what came out, chunk by chunk. */
async function run(chunks: string[]): Promise<string[]> {
  const output: string[] = [];
  const redactor = redactingTransform(SECRET);
  // 'data' events show each chunk as pushed; async iteration could merge buffered ones.
  redactor.on("data", (chunk: Buffer) => output.push(chunk.toString("utf8")));
  const ended = once(redactor, "end");
  for (const chunk of chunks) redactor.write(Buffer.from(chunk, "utf8"));
  redactor.end();
  await ended;
  return output;
}

describe("redactingTransform", () => {
  it("masks the secret inside one chunk, every occurrence", async () => {
    expect((await run([`a ${SECRET} b ${SECRET}`])).join("")).toBe(`a ${REDACTED} b ${REDACTED}`);
  });

  it("masks a secret split across chunks, at every split point", async () => {
    const text = `invalid key: ${SECRET}\n\n`;
    for (let split = 1; split < text.length; split++) {
      const output = (await run([text.slice(0, split), text.slice(split)])).join("");
      expect(output, `split at ${split}`).toBe(`invalid key: ${REDACTED}\n\n`);
    }
  });

  it("passes SSE events through as they come: nothing held back at an event's end", async () => {
    const events = ['event: ping\ndata: {"type":"ping"}\n\n', 'event: message_stop\ndata: {"type":"message_stop"}\n\n'];
    expect(await run(events)).toEqual(events);
  });

  it("holds back only a tail that could start the secret, and releases it at the end", async () => {
    expect(await run(["text ending in sk-an", "d more"])).toEqual(["text ending in ", "sk-and more"]);
    expect((await run(["unfinished sk-ant"])).join("")).toBe("unfinished sk-ant");
  });
});

describe("redactText", () => {
  it("masks the secret in a header value", () => {
    expect(redactText(`Bearer ${SECRET}`, SECRET)).toBe(`Bearer ${REDACTED}`);
  });
});
