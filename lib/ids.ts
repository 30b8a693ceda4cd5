import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ID_LENGTH = 24; // 24 base62 characters ≈ 143 bits: unguessable, like the official ids.

export type IdPrefix = "vlt" | "vcrd" | "sesn" | "agent" | "env" | "req" | "key" | "aud" | "usr" | "rtc" | "bses" | "eca" | "sevt" | "run";

/** Random base62 text; rejection sampling keeps every character equally likely. */
export function randomBase62(length: number): string {
  let text = "";
  while (text.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && text.length < length) text += ALPHABET[byte % 62];
    }
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
