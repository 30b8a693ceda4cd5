-- AlterTable
ALTER TABLE "vault_credentials" ADD COLUMN     "endpoint_origin" TEXT;

-- Binds the active LLM credentials stored before this migration to the origin their vault names
-- now (the default when unset), as lib/validation/reserved-metadata.ts llmEndpointOf would: scheme
-- and host lowercased, the default port dropped. A value this cannot read stays unbound, and the
-- boundary refuses it until the token is added again.
UPDATE "vault_credentials" AS c
SET "endpoint_origin" = regexp_replace(
      regexp_replace(
        lower(substring(COALESCE(v."metadata"->>'sandbox0.managed_agents.llm_base_url', 'https://api.anthropic.com')
                        FROM '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#@[:space:]]+')),
        '^(https://.*):443$', '\1'),
      '^(http://.*):80$', '\1')
FROM "vaults" AS v
WHERE c."vault_id" = v."id" AND v."role" = 'llm' AND c."archived_at" IS NULL;
