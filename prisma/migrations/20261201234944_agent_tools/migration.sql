-- AlterTable
ALTER TABLE "agents" ADD COLUMN     "tools" JSONB NOT NULL DEFAULT '[]';
