import { Transform } from "node:stream";

export const REDACTED = "[REDACTED]";

/**
 * Where `data` ends with the first bytes of `secret`, how many: those bytes must wait for the next
 * chunk before it is known whether they start the secret. Zero for almost every chunk (an SSE event
 * ends in a blank line, which starts no token), so streams are not held up.
 */
function pendingPrefixLength(data: Buffer, secret: Buffer): number {
  const first = secret[0];
  for (let index = Math.max(0, data.length - secret.length + 1); index < data.length; index++) {
    if (data[index] === first && data.subarray(index).equals(secret.subarray(0, data.length - index))) return data.length - index;
  }
  return 0;
}

function replaceAll(data: Buffer, secret: Buffer, mask: Buffer): Buffer {
  let at = data.indexOf(secret);
  if (at === -1) return data;
  const parts: Buffer[] = [];
  let from = 0;
  while (at !== -1) {
    parts.push(data.subarray(from, at), mask);
    from = at + secret.length;
    at = data.indexOf(secret, from);
  }
  parts.push(data.subarray(from));
  return Buffer.concat(parts);
}

/**
 * Masks every occurrence of `secret` in a byte stream, including one split across chunks. An
 * upstream that quotes the key it was sent (in an error message, say) must not hand it to the
 * runtime, the one party the boundary exists to keep it from.
 */
export function redactingTransform(secret: string): Transform {
  const secretBytes = Buffer.from(secret, "utf8");
  const mask = Buffer.from(REDACTED, "utf8");
  let carry = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const data = replaceAll(Buffer.concat([carry, chunk]), secretBytes, mask);
      const pending = pendingPrefixLength(data, secretBytes);
      carry = Buffer.from(data.subarray(data.length - pending));
      done(null, data.length > pending ? data.subarray(0, data.length - pending) : undefined);
    },
    flush(done) {
      done(null, carry.length > 0 ? carry : undefined);
    },
  });
}

export function redactText(text: string, secret: string): string {
  return text.split(secret).join(REDACTED);
}
