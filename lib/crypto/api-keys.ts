import { createHash, randomBytes } from "node:crypto";

export const API_KEY_PATTERN = /^s0_[A-Za-z0-9_-]{32,}$/;
const DISPLAY_PREFIX_LENGTH = 10; // "s0_" plus 7 characters: enough to tell keys apart, useless to an attacker.

export function generateApiKey(): string {
  return `s0_${randomBytes(32).toString("base64url")}`;
}

/** Keys carry 256 bits of randomness, so a plain SHA-256 is the right lookup hash (no salt needed). */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export function apiKeyDisplayPrefix(key: string): string {
  return key.slice(0, DISPLAY_PREFIX_LENGTH);
}
