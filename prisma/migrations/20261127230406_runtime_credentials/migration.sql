-- CreateTable
CREATE TABLE "runtime_credentials" (
    "id" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "placeholder_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "runtime_credentials_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "runtime_credentials_placeholder_hash_key" ON "runtime_credentials"("placeholder_hash");

-- CreateIndex
CREATE INDEX "runtime_credentials_session_id_idx" ON "runtime_credentials"("session_id");

-- AddForeignKey
ALTER TABLE "runtime_credentials" ADD CONSTRAINT "runtime_credentials_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
