const MIN_LENGTH_FOR_HINT = 16;

/**
 * The only part of a secret the console ever shows again: its last four characters, and only when
 * the secret is long enough that four characters say nothing useful about it.
 */
export function tokenHint(secret: string): string | null {
  const characters = Array.from(secret);
  if (characters.length < MIN_LENGTH_FOR_HINT) return null;
  return `…${characters.slice(-4).join("")}`;
}
