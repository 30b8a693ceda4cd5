-- The per-key request counters of /v1 (lib/server/api-key-auth.ts).
--
-- UNLOGGED (hand-edited; Prisma's schema has no word for it and its diffs ignore it): every
-- API-key call updates a row here, and a transaction that writes only unlogged tables commits
-- without waiting for a WAL flush. The price is that a crash empties the table, which only hands
-- each key a fresh window. Unlogged tables are not replicated to standbys either: the counters are
-- only ever read by the primary that counts them.
CREATE UNLOGGED TABLE "api_key_rate_limits" (
    "api_key_id" TEXT NOT NULL,
    "window_started_at" TIMESTAMPTZ(3) NOT NULL,
    "requests" INTEGER NOT NULL,

    CONSTRAINT "api_key_rate_limits_pkey" PRIMARY KEY ("api_key_id")
);

-- AddForeignKey
ALTER TABLE "api_key_rate_limits" ADD CONSTRAINT "api_key_rate_limits_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;
