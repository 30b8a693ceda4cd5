import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { serializeEnvironment } from "@/lib/serializers/environments";
import { createEnvironment, listEnvironments } from "@/lib/server/environments";
import { environmentCreateSchema } from "@/lib/validation/environments";
import { parseInput } from "@/lib/validation/parse";

export const GET = apiRoute("read", async ({ listQuery }) => {
  const { items, nextPage } = await listEnvironments(listQuery());
  return { data: items.map(serializeEnvironment), next_page: nextPage };
});

export const POST = apiRoute("write", async ({ body, context }) => {
  const input = parseInput(environmentCreateSchema, await body());
  return serializeEnvironment(await createEnvironment(input, context));
});

export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
