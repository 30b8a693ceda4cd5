-- Change notices for the credential boundary's lookup (lib/server/boundary-lookup.ts).
--
-- The embedded console remembers the boundary's lookup rows in memory, because one process owns
-- the embedded database and every write goes through it. Any write to a table the lookup reads
-- then sends a notice, delivered before that write's commit returns, and the remembered rows are
-- dropped. Only a session that set console.change_notices to 'on' (the embedded one does, as it
-- opens) sends them: PostgreSQL consoles run several processes, read the lookup per request, and
-- would only pay for a NOTIFY, which serializes commits.
CREATE FUNCTION notify_boundary_lookup_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('console.change_notices', true) = 'on' THEN
    PERFORM pg_notify('boundary_lookup_changed', '');
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER runtime_credentials_boundary_lookup_changed
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "runtime_credentials"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_boundary_lookup_changed();

CREATE TRIGGER sessions_boundary_lookup_changed
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "sessions"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_boundary_lookup_changed();

CREATE TRIGGER session_vaults_boundary_lookup_changed
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "session_vaults"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_boundary_lookup_changed();

CREATE TRIGGER vaults_boundary_lookup_changed
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "vaults"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_boundary_lookup_changed();

CREATE TRIGGER vault_credentials_boundary_lookup_changed
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "vault_credentials"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_boundary_lookup_changed();
