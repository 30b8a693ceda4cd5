-- AlterTable
ALTER TABLE "sessions" ADD COLUMN     "active_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "agent_sdk_session_id" TEXT,
ADD COLUMN     "usage" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "session_events" (
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "session_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "processed_at" TIMESTAMPTZ(3),
    "run_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "session_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session_runs" (
    "id" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "claim_token_hash" TEXT,
    "api_key_id" TEXT,
    "worker_id" TEXT,
    "lease_expires_at" TIMESTAMPTZ(3) NOT NULL,
    "error" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "session_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "session_events_seq_key" ON "session_events"("seq");

-- CreateIndex
CREATE INDEX "session_events_session_id_seq_idx" ON "session_events"("session_id", "seq");

-- CreateIndex
CREATE INDEX "session_events_session_id_type_seq_idx" ON "session_events"("session_id", "type", "seq" DESC);

-- CreateIndex
CREATE INDEX "session_events_run_id_seq_idx" ON "session_events"("run_id", "seq");

-- CreateIndex
CREATE INDEX "session_runs_session_id_created_at_idx" ON "session_runs"("session_id", "created_at");

-- CreateIndex
CREATE INDEX "session_runs_status_lease_expires_at_idx" ON "session_runs"("status", "lease_expires_at");

-- AddForeignKey
ALTER TABLE "session_events" ADD CONSTRAINT "session_events_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session_events" ADD CONSTRAINT "session_events_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "session_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session_runs" ADD CONSTRAINT "session_runs_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session_runs" ADD CONSTRAINT "session_runs_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Hand-written: at most one open (queued or running) run per session, whichever process enqueues.
CREATE UNIQUE INDEX "session_runs_one_open_per_session" ON "session_runs"("session_id") WHERE "status" IN ('queued', 'running');
