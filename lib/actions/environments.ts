"use server";

import { formAction, idAction, typedDeleteAction } from "@/lib/actions/action";
import { formText } from "@/lib/forms/form-state";
import { metadataFieldRenamer, metadataFormReading, metadataFromRows, metadataPatchFromRows, type MetadataRow } from "@/lib/forms/metadata-rows";
import { archiveEnvironment, createEnvironment, deleteEnvironment, getEnvironment, updateEnvironment } from "@/lib/server/environments";
import { storedMetadata } from "@/lib/validation/common";
import { environmentCreateSchema, environmentUpdateSchema, storedEnvironmentConfig, type EnvironmentConfig } from "@/lib/validation/environments";

/** Allowed hosts are typed one per line (commas work too); the schema names them by index. */
function readAllowedHosts(formData: FormData): string[] {
  return formText(formData, "allowed_hosts")
    .split(/[\n,]/)
    .map((host) => host.trim())
    .filter((host) => host !== "");
}

/**
 * The form's fields. The config is replaced whole on update, so what the form does not show
 * (packages, allow_mcp_servers, set through the API) comes from `current` instead of being reset.
 */
function readEnvironmentFields(formData: FormData, current?: EnvironmentConfig) {
  const description = formText(formData, "description");
  const limited = formText(formData, "networking") === "limited";
  const allowMcpServers = current?.networking.type === "limited" ? current.networking.allow_mcp_servers : false;
  return {
    name: formText(formData, "name"),
    description: description.trim() === "" ? null : description,
    config: {
      type: "cloud" as const,
      networking: limited
        ? {
            type: "limited" as const,
            allowed_hosts: readAllowedHosts(formData),
            allow_package_managers: formText(formData, "allow_package_managers") === "on",
            allow_mcp_servers: allowMcpServers,
          }
        : { type: "unrestricted" as const },
      ...(current ? { packages: current.packages } : {}),
    },
  };
}

function environmentField(rows: MetadataRow[]) {
  const metadataField = metadataFieldRenamer(rows);
  return (field: string): string => {
    if (field.startsWith("config.networking.allowed_hosts")) return "allowed_hosts";
    if (field.startsWith("config")) return "networking";
    return metadataField(field);
  };
}

export const createEnvironmentAction = formAction(
  "write",
  environmentCreateSchema,
  (formData) => metadataFormReading(formData, (rows) => ({ ...readEnvironmentFields(formData), metadata: metadataFromRows(rows) }), environmentField),
  (input, { context }) => createEnvironment(input, context),
  { revalidate: ["/environments"], redirect: (environment) => `/environments/${environment.id}` },
);

export const updateEnvironmentAction = formAction(
  "write",
  environmentUpdateSchema,
  async (formData) => {
    const environmentId = formText(formData, "environment_id");
    const environment = await getEnvironment(environmentId);
    const currentMetadata = storedMetadata(environment.metadata);
    const currentConfig = storedEnvironmentConfig(environment.config);
    const input = (rows: MetadataRow[]) => ({ ...readEnvironmentFields(formData, currentConfig), metadata: metadataPatchFromRows(currentMetadata, rows) });
    return { environmentId, ...metadataFormReading(formData, input, environmentField) };
  },
  (input, { context }, { environmentId }) => updateEnvironment(environmentId, input, context),
  { revalidate: (_environment, { environmentId }) => [`/environments/${environmentId}`, "/environments"] },
);

export const archiveEnvironmentAction = idAction("write", archiveEnvironment, (id) => [`/environments/${id}`, "/environments"]);

/** The typed name must match; the service refuses while sessions use it. */
export const deleteEnvironmentAction = typedDeleteAction(
  { noun: "environment", part: "name", idField: "environment_id", confirmField: "confirm_name", list: "/environments" },
  async (id) => (await getEnvironment(id)).name,
  deleteEnvironment,
);
