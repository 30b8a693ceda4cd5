import { requireUser } from "@/lib/auth/session";
import { egressCaCertificate } from "@/lib/server/egress-authority";

/**
 * The egress CA's certificate for a signed-in user to download and compare with the fingerprint
 * on the session page. Public material, but kept behind the sign-in like every console page;
 * runtimes get it in their egress settings instead.
 */
export async function GET(): Promise<Response> {
  await requireUser();
  return new Response(await egressCaCertificate(), {
    headers: {
      "content-type": "application/x-pem-file",
      "content-disposition": 'attachment; filename="console-egress-ca.pem"',
      // A rotation replaces it: never serve a cached one.
      "cache-control": "no-store",
    },
  });
}
