-- CreateTable
CREATE TABLE "egress_authorities" (
    "id" TEXT NOT NULL,
    "certificate_pem" TEXT NOT NULL,
    "private_key_ciphertext" BYTEA,
    "secret_key_id" TEXT,
    "current_slot" BOOLEAN,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retired_at" TIMESTAMPTZ(3),

    CONSTRAINT "egress_authorities_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "egress_authorities_current_slot_key" ON "egress_authorities"("current_slot");


-- The egress proxy's lookup (lib/server/egress-grants.ts) reads the session's environment too, and
-- remembers rows where change notices exist, as the boundary's does: a write to environments
-- (networking, allowed_hosts) must drop them like a write to the other tables it reads.
CREATE TRIGGER environments_boundary_lookup_changed
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "environments"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_boundary_lookup_changed();
