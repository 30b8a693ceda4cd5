-- CreateIndex
CREATE INDEX "sessions_environment_id_created_at_seq_idx" ON "sessions"("environment_id", "created_at" DESC, "seq" DESC);
