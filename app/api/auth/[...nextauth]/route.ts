import { withSignInRateLimitStatus } from "@/lib/auth/credentials-callback";
import { handlers } from "@/lib/auth/config";

export const GET = handlers.GET;
export const POST = withSignInRateLimitStatus(handlers.POST);
