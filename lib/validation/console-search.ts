import { z } from "zod";

/** What the ⌘K box sends: the text typed, trimmed; long enough to hold any id. */
export const consoleSearchInput = z.object({ query: z.string().trim().min(1).max(200) });

export type ConsoleSearchKind = "vault" | "session" | "agent" | "environment";

/** One row of the ⌘K results: names and ids only, never a secret or a metadata value. */
export interface ConsoleSearchHit {
  kind: ConsoleSearchKind;
  id: string;
  name: string;
  /** A few words to tell two hits apart: the vault's kind, the session's status. */
  detail: string | null;
  archived: boolean;
  href: string;
}
