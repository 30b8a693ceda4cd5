-- Lists filter on "active" (archived_at IS NULL) instead of on archived_at itself. Without
-- statistics (a fresh table, or one that grew since its last ANALYZE) the planner guesses that
-- `archived_at IS NULL` holds for 0.5 % of the rows, and then prefers fetching those "few" rows and
-- sorting them over walking an index in keyset order: every list page read and sorted the whole
-- table. A boolean column's default guess is a half, and an index led by it serves
-- `active = true ORDER BY created_at DESC, seq DESC` directly, with or without statistics. The
-- column is the trigger's to write: the services only ever set archived_at.

-- DropIndex
DROP INDEX "agents_archived_at_created_at_seq_idx";

-- DropIndex
DROP INDEX "environments_archived_at_created_at_seq_idx";

-- DropIndex
DROP INDEX "sessions_archived_at_created_at_seq_idx";

-- DropIndex
DROP INDEX "vault_credentials_vault_id_archived_at_created_at_seq_idx";

-- DropIndex
DROP INDEX "vaults_archived_at_created_at_seq_idx";

-- AlterTable
ALTER TABLE "agents" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "environments" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "sessions" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "vault_credentials" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "vaults" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true;

-- CreateIndex
CREATE INDEX "agents_active_created_at_seq_idx" ON "agents"("active", "created_at" DESC, "seq" DESC);

-- CreateIndex
CREATE INDEX "environments_active_created_at_seq_idx" ON "environments"("active", "created_at" DESC, "seq" DESC);

-- CreateIndex
CREATE INDEX "sessions_active_created_at_seq_idx" ON "sessions"("active", "created_at" DESC, "seq" DESC);

-- CreateIndex
CREATE INDEX "vault_credentials_vault_id_active_created_at_seq_idx" ON "vault_credentials"("vault_id", "active", "created_at" DESC, "seq" DESC);

-- CreateIndex
CREATE INDEX "vaults_active_created_at_seq_idx" ON "vaults"("active", "created_at" DESC, "seq" DESC);

-- Backfill: rows archived before this migration.
UPDATE "agents" SET "active" = false WHERE "archived_at" IS NOT NULL;
UPDATE "environments" SET "active" = false WHERE "archived_at" IS NOT NULL;
UPDATE "sessions" SET "active" = false WHERE "archived_at" IS NOT NULL;
UPDATE "vault_credentials" SET "active" = false WHERE "archived_at" IS NOT NULL;
UPDATE "vaults" SET "active" = false WHERE "archived_at" IS NOT NULL;

CREATE FUNCTION set_active_from_archived_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.active := NEW.archived_at IS NULL;
  RETURN NEW;
END
$$;

CREATE TRIGGER agents_active BEFORE INSERT OR UPDATE ON "agents"
  FOR EACH ROW EXECUTE FUNCTION set_active_from_archived_at();
CREATE TRIGGER environments_active BEFORE INSERT OR UPDATE ON "environments"
  FOR EACH ROW EXECUTE FUNCTION set_active_from_archived_at();
CREATE TRIGGER sessions_active BEFORE INSERT OR UPDATE ON "sessions"
  FOR EACH ROW EXECUTE FUNCTION set_active_from_archived_at();
CREATE TRIGGER vault_credentials_active BEFORE INSERT OR UPDATE ON "vault_credentials"
  FOR EACH ROW EXECUTE FUNCTION set_active_from_archived_at();
CREATE TRIGGER vaults_active BEFORE INSERT OR UPDATE ON "vaults"
  FOR EACH ROW EXECUTE FUNCTION set_active_from_archived_at();
