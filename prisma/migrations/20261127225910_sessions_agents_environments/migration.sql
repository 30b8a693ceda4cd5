-- CreateTable
CREATE TABLE "agents" (
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "system" TEXT,
    "model" JSONB NOT NULL,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archived_at" TIMESTAMPTZ(3),

    CONSTRAINT "agents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_versions" (
    "agent_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "snapshot" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_versions_pkey" PRIMARY KEY ("agent_id","version")
);

-- CreateTable
CREATE TABLE "environments" (
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "config" JSONB NOT NULL,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archived_at" TIMESTAMPTZ(3),

    CONSTRAINT "environments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "title" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'idle',
    "agent_id" TEXT NOT NULL,
    "agent_version" INTEGER NOT NULL,
    "agent_snapshot" JSONB NOT NULL,
    "environment_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archived_at" TIMESTAMPTZ(3),

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session_vaults" (
    "session_id" TEXT NOT NULL,
    "vault_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "llm_slot" BOOLEAN,

    CONSTRAINT "session_vaults_pkey" PRIMARY KEY ("session_id","vault_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "agents_seq_key" ON "agents"("seq");

-- CreateIndex
CREATE INDEX "agents_archived_at_seq_idx" ON "agents"("archived_at", "seq" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "environments_seq_key" ON "environments"("seq");

-- CreateIndex
CREATE INDEX "environments_archived_at_seq_idx" ON "environments"("archived_at", "seq" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "sessions_seq_key" ON "sessions"("seq");

-- CreateIndex
CREATE INDEX "sessions_archived_at_seq_idx" ON "sessions"("archived_at", "seq" DESC);

-- CreateIndex
CREATE INDEX "sessions_agent_id_seq_idx" ON "sessions"("agent_id", "seq" DESC);

-- CreateIndex
CREATE INDEX "session_vaults_vault_id_idx" ON "session_vaults"("vault_id");

-- CreateIndex
CREATE UNIQUE INDEX "session_vaults_session_id_llm_slot_key" ON "session_vaults"("session_id", "llm_slot");

-- AddForeignKey
ALTER TABLE "agent_versions" ADD CONSTRAINT "agent_versions_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_environment_id_fkey" FOREIGN KEY ("environment_id") REFERENCES "environments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session_vaults" ADD CONSTRAINT "session_vaults_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session_vaults" ADD CONSTRAINT "session_vaults_vault_id_fkey" FOREIGN KEY ("vault_id") REFERENCES "vaults"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
