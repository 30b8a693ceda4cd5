import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { serializeEnvironment } from "@/lib/serializers/environments";
import { archiveEnvironment } from "@/lib/server/environments";

type Params = { environmentId: string };

export const POST = apiRoute<Params>("write", async ({ params, context }) =>
  serializeEnvironment(await archiveEnvironment(params.environmentId, context)),
);

export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
