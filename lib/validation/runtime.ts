import { z } from "zod";

/** Where a runtime may be told to write the CA bundle: an absolute path with nothing a shell or env file would mangle. */
const caPathSchema = z
  .string()
  .max(1024, "must be at most 1024 characters")
  .regex(/^\/[A-Za-z0-9._\-/]+$/, "must be an absolute path of letters, digits, '.', '_', '-' and '/' (for example /tmp/console-egress-ca.pem)");

/** `POST /v1/sessions/{id}/runtime`'s body: none (boundary mode), or the mode and, for egress, the CA path. */
export const runtimeRequestSchema = z
  .strictObject({
    mode: z.enum(["boundary", "egress"], { error: 'must be "boundary" or "egress"' }).optional(),
    ca_path: caPathSchema.optional(),
  })
  .superRefine((body, context) => {
    if (body.ca_path !== undefined && body.mode !== "egress") {
      context.addIssue({ code: "custom", path: ["ca_path"], message: 'applies to mode "egress" only (the boundary mode needs no CA)' });
    }
  });
