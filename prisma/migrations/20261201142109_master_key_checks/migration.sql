-- CreateTable
CREATE TABLE "master_key_checks" (
    "key_id" TEXT NOT NULL,
    "sealed_check" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "master_key_checks_pkey" PRIMARY KEY ("key_id")
);
