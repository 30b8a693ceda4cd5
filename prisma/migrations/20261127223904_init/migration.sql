-- CreateEnum
CREATE TYPE "ApiKeyRole" AS ENUM ('owner', 'admin', 'viewer', 'runtime');

-- CreateEnum
CREATE TYPE "VaultRole" AS ENUM ('llm', 'credential');

-- CreateEnum
CREATE TYPE "CredentialAuthType" AS ENUM ('static_bearer', 'mcp_oauth', 'environment_variable');

-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "role" "ApiKeyRole" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vaults" (
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "display_name" TEXT NOT NULL,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "role" "VaultRole",
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archived_at" TIMESTAMPTZ(3),

    CONSTRAINT "vaults_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vault_credentials" (
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "vault_id" TEXT NOT NULL,
    "display_name" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "auth_type" "CredentialAuthType" NOT NULL,
    "auth_public" JSONB NOT NULL,
    "mcp_server_url" TEXT,
    "secret_name" TEXT,
    "active_mcp_server_url_key" TEXT,
    "active_secret_name" TEXT,
    "active_llm_slot" BOOLEAN,
    "secret_ciphertext" BYTEA,
    "refresh_token_ciphertext" BYTEA,
    "client_secret_ciphertext" BYTEA,
    "secret_key_id" TEXT,
    "token_hint" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archived_at" TIMESTAMPTZ(3),

    CONSTRAINT "vault_credentials_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_type" TEXT NOT NULL,
    "actor_id" TEXT,
    "action" TEXT NOT NULL,
    "resource_type" TEXT NOT NULL,
    "resource_id" TEXT NOT NULL,
    "request_id" TEXT,
    "client_address" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys"("hash");

-- CreateIndex
CREATE UNIQUE INDEX "vaults_seq_key" ON "vaults"("seq");

-- CreateIndex
CREATE INDEX "vaults_archived_at_seq_idx" ON "vaults"("archived_at", "seq" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "vault_credentials_seq_key" ON "vault_credentials"("seq");

-- CreateIndex
CREATE INDEX "vault_credentials_vault_id_archived_at_seq_idx" ON "vault_credentials"("vault_id", "archived_at", "seq" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "vault_credentials_vault_id_active_mcp_server_url_key_key" ON "vault_credentials"("vault_id", "active_mcp_server_url_key");

-- CreateIndex
CREATE UNIQUE INDEX "vault_credentials_vault_id_active_secret_name_key" ON "vault_credentials"("vault_id", "active_secret_name");

-- CreateIndex
CREATE UNIQUE INDEX "vault_credentials_vault_id_active_llm_slot_key" ON "vault_credentials"("vault_id", "active_llm_slot");

-- CreateIndex
CREATE UNIQUE INDEX "audit_events_seq_key" ON "audit_events"("seq");

-- CreateIndex
CREATE INDEX "audit_events_resource_type_resource_id_idx" ON "audit_events"("resource_type", "resource_id");

-- AddForeignKey
ALTER TABLE "vault_credentials" ADD CONSTRAINT "vault_credentials_vault_id_fkey" FOREIGN KEY ("vault_id") REFERENCES "vaults"("id") ON DELETE CASCADE ON UPDATE CASCADE;
