-- AlterTable
ALTER TABLE "agent_versions" ADD COLUMN     "metadata" JSONB NOT NULL DEFAULT '{}';

-- Each version now keeps its metadata, so GET /v1/agents/{id}?version=N and the versions list can
-- answer with the agent as it was. The latest version's metadata is the agent's own. Versions
-- before it were stored without theirs and no row recorded it, so they get the agent's metadata as
-- of this migration: the closest value there is.
UPDATE "agent_versions" AS v
SET "metadata" = a."metadata"
FROM "agents" AS a
WHERE v."agent_id" = a."id";

-- Without a default, a version written without its metadata fails instead of claiming {}.
ALTER TABLE "agent_versions" ALTER COLUMN "metadata" DROP DEFAULT;
