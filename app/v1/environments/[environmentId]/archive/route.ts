import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { archiveEnvironment } from "@/lib/server/environments";
import { serializeEnvironment } from "@/lib/validation/environments";

type Params = { environmentId: string };

export const POST = apiRoute<Params>("write", async ({ params, context }) =>
  serializeEnvironment(await archiveEnvironment(params.environmentId, context)),
);

export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
