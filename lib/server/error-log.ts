import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * What may be logged about an unexpected error. Prisma's validation errors print the whole query,
 * arguments included (a token among them), so only their class and code are kept.
 */
export function describeForLog(error: unknown): string {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return `PrismaClientKnownRequestError ${error.code}`;
  if (error instanceof Prisma.PrismaClientValidationError) return "PrismaClientValidationError (query details withheld)";
  if (error instanceof Error) return `${error.name}: ${error.message}\n${error.stack ?? ""}`;
  return `non-error thrown: ${typeof error}`;
}
