-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "created_by_api_key_id" TEXT,
ADD COLUMN     "created_by_user_id" TEXT,
ADD COLUMN     "environment_id" TEXT;

-- AlterTable
ALTER TABLE "runtime_credentials" ADD COLUMN     "api_key_id" TEXT,
ADD COLUMN     "expires_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "api_key_sessions" (
    "api_key_id" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "api_key_sessions_pkey" PRIMARY KEY ("api_key_id","session_id")
);

-- CreateIndex
CREATE INDEX "api_key_sessions_session_id_idx" ON "api_key_sessions"("session_id");

-- CreateIndex
CREATE INDEX "api_keys_created_by_user_id_idx" ON "api_keys"("created_by_user_id");

-- CreateIndex
CREATE INDEX "api_keys_created_by_api_key_id_idx" ON "api_keys"("created_by_api_key_id");

-- CreateIndex
CREATE INDEX "runtime_credentials_api_key_id_idx" ON "runtime_credentials"("api_key_id");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_user_id_fkey" FOREIGN KEY ("created_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_api_key_id_fkey" FOREIGN KEY ("created_by_api_key_id") REFERENCES "api_keys"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_environment_id_fkey" FOREIGN KEY ("environment_id") REFERENCES "environments"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_key_sessions" ADD CONSTRAINT "api_key_sessions_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_key_sessions" ADD CONSTRAINT "api_key_sessions_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runtime_credentials" ADD CONSTRAINT "runtime_credentials_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE SET NULL ON UPDATE CASCADE;
