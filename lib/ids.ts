import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ID_LENGTH = 24; // 24 base62 characters ≈ 143 bits: unguessable, like the official ids.

export type IdPrefix = "vlt" | "vcrd" | "sesn" | "agent" | "env" | "req" | "key" | "aud" | "usr" | "rtc" | "bses" | "eca" | "sevt" | "run";

/**
 * Random bytes drawn from a pool filled 4 KiB at a time, each byte used once (as Node's own
 * randomUUID does): a synchronous randomBytes call per id was a quarter of what the server does
 * for a request before handing it on, since every request gets an id.
 */
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

function randomByte(): number {
  if (poolOffset >= pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  return pool[poolOffset++] ?? 0;
}

/** Random base62 text; rejection sampling keeps every character equally likely. */
export function randomBase62(length: number): string {
  let text = "";
  while (text.length < length) {
    const byte = randomByte();
    if (byte < 248) text += ALPHABET[byte % 62];
  }
  return text;
}

/**
 * Whether a path segment could be an id. Ids are prefixed base62; anything else in a URL cannot
 * name a stored resource, so it is answered as not found without asking the database.
 */
export function isResourceId(value: string): boolean {
  return /^[A-Za-z0-9_-]{1,128}$/.test(value);
}

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBase62(ID_LENGTH)}`;
}
