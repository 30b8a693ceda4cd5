-- A run whose runner answered every message can rest: its runner (and the Claude Code CLI it
-- drives) stays up for a while, waiting in the inbox, so the session's next message starts its turn
-- at once instead of on a new process. `resting_since` is set while it waits; `answered_through_seq`
-- is the seq of the last user event the run had answered when it last rested, so a retried attempt
-- replays only the messages after it.
ALTER TABLE "session_runs" ADD COLUMN "resting_since" TIMESTAMPTZ(3);
ALTER TABLE "session_runs" ADD COLUMN "answered_through_seq" BIGINT;
