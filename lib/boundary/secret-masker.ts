/**
 * What replaces a secret: an asterisk per byte. A masked body keeps its length, so a response can
 * keep the content-length its upstream gave it.
 */
export function maskOf(secret: string): string {
  return "*".repeat(Buffer.byteLength(secret, "utf8"));
}

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
 * Masks every occurrence of `secret` in a byte stream fed to it chunk by chunk, including one split
 * across chunks. An upstream that quotes the key it was sent (in an error message, say) must not
 * hand it to the runtime, the one party the boundary exists to keep it from. A plain object rather
 * than a Transform: on the boundary's path, a stream layer per response cost more than the masking.
 */
export class SecretMasker {
  readonly #secret: Buffer;
  readonly #mask: Buffer;
  #carry: Buffer = Buffer.alloc(0);

  constructor(secret: string) {
    this.#secret = Buffer.from(secret, "utf8");
    this.#mask = Buffer.from(maskOf(secret), "utf8");
  }

  /** What can be sent of the bytes so far; a tail that may start the secret waits for the next chunk. */
  push(chunk: Buffer): Buffer {
    const data = replaceAll(this.#carry.length > 0 ? Buffer.concat([this.#carry, chunk]) : chunk, this.#secret, this.#mask);
    const pending = pendingPrefixLength(data, this.#secret);
    this.#carry = pending > 0 ? Buffer.from(data.subarray(data.length - pending)) : Buffer.alloc(0);
    return pending > 0 ? data.subarray(0, data.length - pending) : data;
  }

  /** The held-back tail, at the end of the stream: it turned out not to be the secret. */
  end(): Buffer {
    const rest = this.#carry;
    this.#carry = Buffer.alloc(0);
    return rest;
  }
}

export function redactText(text: string, secret: string): string {
  return text.split(secret).join(maskOf(secret));
}
