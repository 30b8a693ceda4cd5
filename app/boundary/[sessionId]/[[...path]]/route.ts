import { forwardThroughBoundary } from "@/lib/api/boundary-proxy";

type Context = { params: Promise<{ sessionId: string; path?: string[] }> };

/** A session's runtime calls the model here (its ANTHROPIC_BASE_URL); see lib/server/boundary.ts. */
async function boundary(request: Request, context: Context): Promise<Response> {
  const { sessionId, path } = await context.params;
  return forwardThroughBoundary(request, sessionId, path ?? []);
}

export const dynamic = "force-dynamic";
export const GET = boundary;
export const POST = boundary;
export const PUT = boundary;
export const PATCH = boundary;
export const DELETE = boundary;
