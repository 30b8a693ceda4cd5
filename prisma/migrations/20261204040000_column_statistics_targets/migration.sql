-- ANALYZE skips the columns no plan reads statistics for: the JSON documents (nothing filters or
-- joins on a whole document; the one lookup into one, session_events.payload ->> name, is estimated
-- without them) and the random text ids, whose primary keys already tell the planner they are
-- unique. Those columns were more than half of what ANALYZE cost: on the embedded database, which
-- runs it in the request's own thread (lib/db-maintenance.ts), ANALYZE of 10,000 audit entries held
-- the connection about 55 ms and now about 25, that of 10,000 vaults 18 and now 9. On PostgreSQL it
-- is less work for autovacuum. Every other column keeps the default target.

ALTER TABLE "vaults" ALTER COLUMN "id" SET STATISTICS 0, ALTER COLUMN "metadata" SET STATISTICS 0;

ALTER TABLE "vault_credentials" ALTER COLUMN "id" SET STATISTICS 0, ALTER COLUMN "metadata" SET STATISTICS 0, ALTER COLUMN "auth_public" SET STATISTICS 0;

ALTER TABLE "audit_events" ALTER COLUMN "id" SET STATISTICS 0, ALTER COLUMN "details" SET STATISTICS 0;

ALTER TABLE "agents" ALTER COLUMN "id" SET STATISTICS 0, ALTER COLUMN "model" SET STATISTICS 0, ALTER COLUMN "tools" SET STATISTICS 0, ALTER COLUMN "metadata" SET STATISTICS 0;

ALTER TABLE "agent_versions" ALTER COLUMN "snapshot" SET STATISTICS 0, ALTER COLUMN "metadata" SET STATISTICS 0;

ALTER TABLE "environments" ALTER COLUMN "id" SET STATISTICS 0, ALTER COLUMN "config" SET STATISTICS 0, ALTER COLUMN "metadata" SET STATISTICS 0;

ALTER TABLE "sessions" ALTER COLUMN "id" SET STATISTICS 0, ALTER COLUMN "metadata" SET STATISTICS 0, ALTER COLUMN "agent_snapshot" SET STATISTICS 0, ALTER COLUMN "usage" SET STATISTICS 0;

ALTER TABLE "session_events" ALTER COLUMN "id" SET STATISTICS 0, ALTER COLUMN "payload" SET STATISTICS 0;

ALTER TABLE "session_runs" ALTER COLUMN "id" SET STATISTICS 0, ALTER COLUMN "error" SET STATISTICS 0;
