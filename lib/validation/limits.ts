// The limits, enums and labels the browser needs (form maxLength, pickers, role names), kept free of
// zod and of anything server-side so a client component importing one pulls in a few bytes, not the
// schemas. The schema modules import them from here and re-export them, so both sides read one value.

export const DISPLAY_NAME_MAX = 255;
export const METADATA_MAX_PAIRS = 16;
export const METADATA_KEY_MAX = 64;
export const METADATA_VALUE_MAX = 512;
export const URL_MAX = 2047;

export const TOKEN_MAX = 8192;
export const REFRESH_TOKEN_MAX = 4096;
export const CLIENT_SECRET_MAX = 512;

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export const USER_ROLES = ["owner", "admin", "viewer"] as const;
export type UserRoleValue = (typeof USER_ROLES)[number];

export const USER_ROLE_LABELS: Record<UserRoleValue, string> = {
  owner: "Owner",
  admin: "Admin",
  viewer: "Viewer",
};

export const USER_ROLE_DESCRIPTIONS: Record<UserRoleValue, string> = {
  owner: "Everything, including users",
  admin: "Everything but users",
  viewer: "Read only; never sees a secret",
};

/** Roles a key made in the console may have; `owner` keys come only from the bootstrap. */
export const API_KEY_CREATE_ROLES = ["admin", "viewer", "runtime"] as const;

export const API_KEY_ROLE_DESCRIPTIONS: Record<(typeof API_KEY_CREATE_ROLES)[number] | "owner", string> = {
  owner: "Read and write (bootstrap key)",
  admin: "Read and write every resource",
  viewer: "Read only",
  runtime: "Runtime routes only",
};

/** A runtime key may be scoped to this many sessions at most; more belong in an environment scope. */
export const RUNTIME_KEY_SESSIONS_MAX = 100;

export const AGENT_NAME_MAX = 256;
export const AGENT_SYSTEM_MAX = 100_000;
export const AGENT_DESCRIPTION_MAX = 2048;

export const ENVIRONMENT_NAME_MAX = 256;
export const ENVIRONMENT_DESCRIPTION_MAX = 2048;

export const SESSION_VAULTS_MAX = 16;
export const SESSION_TITLE_MAX = 500;
export const SESSION_STATUSES = ["rescheduling", "running", "idle", "terminated"] as const;
