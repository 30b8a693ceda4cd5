-- The boundary's lookups may now be remembered on PostgreSQL too (lib/change-barrier.ts).
--
-- Every console process on PostgreSQL that remembers lookup rows holds a lease here, renewed every
-- half second while its LISTEN connection hears its own renewals come back. A process that commits
-- a change to a table the lookups read does not return before every process with a live lease has
-- heard a barrier NOTIFY sent after that commit (notices reach a listener in commit order), so each
-- has dropped what it remembered: the next model call anywhere reads the change.
CREATE TABLE "boundary_readers" (
    "id" TEXT NOT NULL,
    "lease_until" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "boundary_readers_pkey" PRIMARY KEY ("id")
);

-- The change notice now goes to every listener, whoever writes (a psql session included), and the
-- writing session itself hears a NOTICE when it asked for one: the console's pooled connections
-- do, to know that their commit needs a barrier before it is answered.
CREATE OR REPLACE FUNCTION notify_boundary_lookup_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('boundary_lookup_changed', '');
  IF current_setting('console.change_barrier', true) = 'on' THEN
    RAISE NOTICE 'boundary_lookup_changed';
  END IF;
  RETURN NULL;
END
$$;

-- Only updates of the columns the lookups read count as changes: a session's status and usage,
-- written on every turn, or a vault's name, drop nothing and wait for no barrier.
DROP TRIGGER runtime_credentials_boundary_lookup_changed ON "runtime_credentials";
CREATE TRIGGER runtime_credentials_boundary_lookup_changed
  AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF "session_id", "placeholder_hash", "revoked_at", "expires_at" ON "runtime_credentials"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_boundary_lookup_changed();

DROP TRIGGER sessions_boundary_lookup_changed ON "sessions";
CREATE TRIGGER sessions_boundary_lookup_changed
  AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF "id", "archived_at", "environment_id" ON "sessions"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_boundary_lookup_changed();

DROP TRIGGER vaults_boundary_lookup_changed ON "vaults";
CREATE TRIGGER vaults_boundary_lookup_changed
  AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF "id", "archived_at", "metadata", "role" ON "vaults"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_boundary_lookup_changed();

DROP TRIGGER environments_boundary_lookup_changed ON "environments";
CREATE TRIGGER environments_boundary_lookup_changed
  AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF "id", "config" ON "environments"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_boundary_lookup_changed();
