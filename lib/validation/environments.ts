import { z } from "zod";
import { isBareHost } from "@/lib/validation/common";
import { listQuerySchema, nameSearchParam } from "@/lib/validation/pagination";
import { ownedMetadataPatchSchema, ownedMetadataSchema } from "@/lib/validation/owned-metadata";

import { ENVIRONMENT_DESCRIPTION_MAX, ENVIRONMENT_NAME_MAX } from "@/lib/validation/limits";

export { ENVIRONMENT_DESCRIPTION_MAX, ENVIRONMENT_NAME_MAX };
const ALLOWED_HOSTS_MAX = 256;
const PACKAGES_MAX = 256;

/** GET /v1/environments: the standard list query and the console's name search `q`. */
export const environmentListQuerySchema = listQuerySchema.extend(nameSearchParam);

const nameSchema = z
  .string({ error: "must be a string" })
  .transform((value) => value.trim())
  .pipe(z.string().min(1, "must not be empty").max(ENVIRONMENT_NAME_MAX, `must be at most ${ENVIRONMENT_NAME_MAX} characters`));

const hostSchema = z.string().refine((host) => isBareHost(host, { wildcard: true }), {
  message: "must be a bare hostname, an IPv4 address or a *. wildcard (no scheme, port or path)",
});

const networkingSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("unrestricted") }),
  z.strictObject({
    type: z.literal("limited"),
    allowed_hosts: z.array(hostSchema).max(ALLOWED_HOSTS_MAX, `must list at most ${ALLOWED_HOSTS_MAX} hosts`).nullable().optional(),
    allow_mcp_servers: z.boolean().nullable().optional(),
    allow_package_managers: z.boolean().nullable().optional(),
  }),
]);

const packageListSchema = z
  .array(z.string().min(1, "must not be empty").max(214, "must be at most 214 characters"))
  .max(PACKAGES_MAX, `must list at most ${PACKAGES_MAX} packages`)
  .nullable()
  .optional();

const packagesSchema = z.strictObject({
  type: z.literal("packages").optional(),
  apt: packageListSchema,
  cargo: packageListSchema,
  gem: packageListSchema,
  go: packageListSchema,
  npm: packageListSchema,
  pip: packageListSchema,
});

/** Only cloud environments exist here (SPEC §6); the config is stored in its full returned form. */
export const environmentConfigSchema = z
  .strictObject({
    type: z.literal("cloud", { error: 'must be "cloud"' }),
    networking: networkingSchema.nullable().optional(),
    packages: packagesSchema.nullable().optional(),
  })
  .transform((config) => normalizeConfig(config));

function normalizeConfig(config: { networking?: z.output<typeof networkingSchema> | null; packages?: z.output<typeof packagesSchema> | null }) {
  const networking = config.networking ?? { type: "unrestricted" as const };
  const packages = config.packages ?? {};
  return {
    type: "cloud" as const,
    networking:
      networking.type === "limited"
        ? {
            type: "limited" as const,
            allowed_hosts: networking.allowed_hosts ?? [],
            allow_mcp_servers: networking.allow_mcp_servers ?? false,
            allow_package_managers: networking.allow_package_managers ?? false,
          }
        : { type: "unrestricted" as const },
    packages: {
      type: "packages" as const,
      apt: packages.apt ?? [],
      cargo: packages.cargo ?? [],
      gem: packages.gem ?? [],
      go: packages.go ?? [],
      npm: packages.npm ?? [],
      pip: packages.pip ?? [],
    },
  };
}

export type EnvironmentConfig = ReturnType<typeof normalizeConfig>;

const descriptionSchema = z.string().max(ENVIRONMENT_DESCRIPTION_MAX, `must be at most ${ENVIRONMENT_DESCRIPTION_MAX} characters`).nullable().optional();

export const environmentCreateSchema = z.strictObject({
  name: nameSchema,
  description: descriptionSchema,
  config: environmentConfigSchema.optional(),
  metadata: ownedMetadataSchema("environment").optional(),
});

export const environmentUpdateSchema = z.strictObject({
  name: nameSchema.nullable().optional(),
  description: descriptionSchema,
  config: environmentConfigSchema.nullable().optional(),
  metadata: ownedMetadataPatchSchema("environment").nullable().optional(),
});

export type EnvironmentCreateInput = z.output<typeof environmentCreateSchema>;
export type EnvironmentUpdateInput = z.output<typeof environmentUpdateSchema>;

export function defaultEnvironmentConfig(): EnvironmentConfig {
  return normalizeConfig({});
}

const storedConfigSchema = z.object({
  type: z.literal("cloud"),
  networking: networkingSchema.nullable().optional(),
  packages: packagesSchema.nullable().optional(),
});

/** Reads a stored config back in its full returned form. */
export function storedEnvironmentConfig(value: unknown): EnvironmentConfig {
  return normalizeConfig(storedConfigSchema.parse(value));
}
