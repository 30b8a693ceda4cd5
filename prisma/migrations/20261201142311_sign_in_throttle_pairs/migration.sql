-- Sign-in throttling per (email, client) pair with back-off, and a per-email spacing that slows
-- rather than locks (lib/server/sign-in.ts). The old rows (per email with a plain SHA-256, per
-- client address with a hard block) mean nothing to the new scheme: counters only, so dropped.
DELETE FROM "sign_in_throttles";

-- AlterTable
ALTER TABLE "sign_in_throttles" ADD COLUMN     "last_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "last_success_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "sign_in_throttles_last_attempt_at_idx" ON "sign_in_throttles"("last_attempt_at");
