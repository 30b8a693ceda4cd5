"use server";

import { buttonAction } from "@/lib/actions/action";
import { searchConsole } from "@/lib/server/console-search";
import { consoleSearchInput, type ConsoleSearchHit } from "@/lib/validation/console-search";

/** ⌘K: any signed-in user who may read (viewers included) searches names and ids. */
export const searchConsoleAction = buttonAction(
  "read",
  consoleSearchInput,
  (query: string) => ({ query }),
  ({ query }) => searchConsole(query),
  {
    answer: (hits: ConsoleSearchHit[]) => ({ ok: true as const, hits }),
  },
);
