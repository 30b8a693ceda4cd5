-- A credential create in one statement: lock the vault, check its rules against the credentials
-- that are active once the lock is held, insert the credential and its audit entry. Run as one
-- implicit transaction, so the console sends one statement instead of an interactive transaction
-- of seven (BEGIN, lock, read the vault, read the active credentials, two inserts, COMMIT), which
-- on the embedded database held its one connection across every JavaScript step between them.
--
-- Each statement of a VOLATILE function takes a fresh snapshot, so the active credentials are
-- read after the vault's row lock is granted and include those of every create that held it
-- before: the count cap (20) and the one-LLM-credential rule hold across processes, as they did
-- with the lock taken by the service. The unique indexes on the active slots stay the last word.
--
-- The caller planned the create from the vault it read before (its kind, and for an LLM vault the
-- metadata that names its endpoint); when either differs under the lock the answer is
-- 'vault_changed' and the caller plans again. The sealed secrets arrive as hex, never a plaintext.
-- The answer is a jsonb object: {"outcome": "created", "seq": "…"} or a refusal with the holder.
CREATE FUNCTION create_vault_credential(p jsonb) RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v record;
  active_count integer;
  holder record;
  new_seq bigint;
BEGIN
  SELECT id, role, metadata, archived_at INTO v FROM vaults WHERE id = p->>'vault_id' FOR UPDATE;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('outcome', 'vault_missing');
  END IF;
  IF v.archived_at IS NOT NULL THEN
    RETURN jsonb_build_object('outcome', 'vault_archived');
  END IF;
  IF v.role::text IS DISTINCT FROM p->>'vault_kind' OR (v.role = 'llm' AND v.metadata IS DISTINCT FROM p->'vault_metadata') THEN
    RETURN jsonb_build_object('outcome', 'vault_changed');
  END IF;

  SELECT count(*) INTO active_count FROM vault_credentials c WHERE c.vault_id = v.id AND c.archived_at IS NULL;
  IF v.role = 'llm' AND active_count > 0 THEN
    SELECT c.id, c.display_name INTO holder FROM vault_credentials c WHERE c.vault_id = v.id AND c.archived_at IS NULL ORDER BY c.seq LIMIT 1;
    RETURN jsonb_build_object('outcome', 'llm_taken', 'holder_id', holder.id, 'holder_name', holder.display_name);
  END IF;
  IF active_count >= (p->>'active_max')::integer THEN
    RETURN jsonb_build_object('outcome', 'cap_reached');
  END IF;
  IF p->>'active_mcp_server_url_key' IS NOT NULL THEN
    SELECT c.id, c.display_name INTO holder FROM vault_credentials c
      WHERE c.vault_id = v.id AND c.active_mcp_server_url_key = p->>'active_mcp_server_url_key';
    IF FOUND THEN
      RETURN jsonb_build_object('outcome', 'mcp_server_url_taken', 'holder_id', holder.id, 'holder_name', holder.display_name);
    END IF;
  END IF;
  IF p->>'active_secret_name' IS NOT NULL THEN
    SELECT c.id, c.display_name INTO holder FROM vault_credentials c
      WHERE c.vault_id = v.id AND c.active_secret_name = p->>'active_secret_name';
    IF FOUND THEN
      RETURN jsonb_build_object('outcome', 'secret_name_taken', 'holder_id', holder.id, 'holder_name', holder.display_name);
    END IF;
  END IF;

  INSERT INTO vault_credentials (
    id, vault_id, display_name, metadata, auth_type, auth_public, mcp_server_url, secret_name,
    active_mcp_server_url_key, active_secret_name, active_llm_slot, endpoint_origin, token_hint,
    secret_ciphertext, refresh_token_ciphertext, client_secret_ciphertext, secret_key_id, created_at, updated_at
  ) VALUES (
    p->>'id', v.id, p->>'display_name', p->'metadata', (p->>'auth_type')::"CredentialAuthType", p->'auth_public', p->>'mcp_server_url', p->>'secret_name',
    p->>'active_mcp_server_url_key', p->>'active_secret_name', (p->>'active_llm_slot')::boolean, p->>'endpoint_origin', p->>'token_hint',
    decode(p->>'secret_ciphertext', 'hex'), decode(p->>'refresh_token_ciphertext', 'hex'), decode(p->>'client_secret_ciphertext', 'hex'), p->>'secret_key_id',
    (p->>'created_at')::timestamptz, (p->>'created_at')::timestamptz
  ) RETURNING seq INTO new_seq;

  INSERT INTO audit_events (id, actor_type, actor_id, action, resource_type, resource_id, request_id, client_address, details)
  SELECT a->>'id', a->>'actor_type', a->>'actor_id', a->>'action', a->>'resource_type', a->>'resource_id', a->>'request_id', a->>'client_address', a->'details'
  FROM (SELECT p->'audit' AS a) AS entry;

  RETURN jsonb_build_object('outcome', 'created', 'seq', new_seq::text);
END
$$;
