import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { serializeEnvironment } from "@/lib/serializers/environments";
import { deleteEnvironment, getEnvironment, updateEnvironment } from "@/lib/server/environments";
import { environmentUpdateSchema } from "@/lib/validation/environments";
import { parseInput } from "@/lib/validation/parse";

type Params = { environmentId: string };

export const GET = apiRoute<Params>("read", async ({ params }) => serializeEnvironment(await getEnvironment(params.environmentId)));

export const POST = apiRoute<Params>("write", async ({ params, body, context }) => {
  const input = parseInput(environmentUpdateSchema, await body());
  return serializeEnvironment(await updateEnvironment(params.environmentId, input, context));
});

export const DELETE = apiRoute<Params>("write", async ({ params, context }) => {
  await deleteEnvironment(params.environmentId, context);
  return { id: params.environmentId, type: "environment_deleted" };
});

export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
