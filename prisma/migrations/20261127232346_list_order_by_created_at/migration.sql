-- DropIndex
DROP INDEX "agents_archived_at_seq_idx";

-- DropIndex
DROP INDEX "environments_archived_at_seq_idx";

-- DropIndex
DROP INDEX "sessions_agent_id_seq_idx";

-- DropIndex
DROP INDEX "sessions_archived_at_seq_idx";

-- DropIndex
DROP INDEX "vault_credentials_vault_id_archived_at_seq_idx";

-- DropIndex
DROP INDEX "vaults_archived_at_seq_idx";

-- CreateIndex
CREATE INDEX "agents_archived_at_created_at_seq_idx" ON "agents"("archived_at", "created_at" DESC, "seq" DESC);

-- CreateIndex
CREATE INDEX "agents_created_at_seq_idx" ON "agents"("created_at" DESC, "seq" DESC);

-- CreateIndex
CREATE INDEX "environments_archived_at_created_at_seq_idx" ON "environments"("archived_at", "created_at" DESC, "seq" DESC);

-- CreateIndex
CREATE INDEX "environments_created_at_seq_idx" ON "environments"("created_at" DESC, "seq" DESC);

-- CreateIndex
CREATE INDEX "sessions_archived_at_created_at_seq_idx" ON "sessions"("archived_at", "created_at" DESC, "seq" DESC);

-- CreateIndex
CREATE INDEX "sessions_created_at_seq_idx" ON "sessions"("created_at" DESC, "seq" DESC);

-- CreateIndex
CREATE INDEX "sessions_agent_id_created_at_seq_idx" ON "sessions"("agent_id", "created_at" DESC, "seq" DESC);

-- CreateIndex
CREATE INDEX "vault_credentials_vault_id_archived_at_created_at_seq_idx" ON "vault_credentials"("vault_id", "archived_at", "created_at" DESC, "seq" DESC);

-- CreateIndex
CREATE INDEX "vault_credentials_vault_id_created_at_seq_idx" ON "vault_credentials"("vault_id", "created_at" DESC, "seq" DESC);

-- CreateIndex
CREATE INDEX "vaults_archived_at_created_at_seq_idx" ON "vaults"("archived_at", "created_at" DESC, "seq" DESC);

-- CreateIndex
CREATE INDEX "vaults_created_at_seq_idx" ON "vaults"("created_at" DESC, "seq" DESC);
