// The consoles a race runs on. The invariants hold "under concurrent requests and across several
// server processes" (SPEC §4, §5): each race runs against one process and, when scripts/test.ts
// started a second console on the same PostgreSQL database (CONSOLE_TEST_URL_2), split over both.
import type Anthropic from "@anthropic-ai/sdk";

import { client, secondBaseUrl } from "./support";

/** Which console the request at `index` goes to. */
export type Router = (index: number) => Anthropic;

export interface RaceConsoles {
  /** The suite's console. */
  anthropic: Anthropic;
  /** It, and the second process when there is one. */
  consoles: Anthropic[];
  /** Whether a second process runs (PostgreSQL only: PGlite is single-process). */
  twoProcesses: boolean;
  oneProcess: Router;
  /** Even requests to the first process, odd ones to the second. */
  alternating: Router;
}

export function raceConsoles(): RaceConsoles {
  const anthropic = client();
  const secondUrl = secondBaseUrl();
  const consoles = secondUrl ? [anthropic, client({ baseURL: secondUrl })] : [anthropic];
  return {
    anthropic,
    consoles,
    twoProcesses: secondUrl !== null,
    oneProcess: () => anthropic,
    alternating: (index) => consoles[index % consoles.length] ?? anthropic,
  };
}
