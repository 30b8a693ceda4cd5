"use server";

import { formAction, idAction, typedDeleteAction } from "@/lib/actions/action";
import { formText } from "@/lib/forms/form-state";
import { metadataFieldRenamer, metadataFormReading, metadataFromRows, metadataPatchFromRows, type MetadataRow } from "@/lib/forms/metadata-rows";
import { archiveEnvironment, createEnvironment, deleteEnvironment, getEnvironment, updateEnvironment } from "@/lib/server/environments";
import { storedMetadata } from "@/lib/validation/common";
import { environmentCreateSchema, environmentUpdateSchema } from "@/lib/validation/environments";

/** Allowed hosts are typed one per line (commas work too); the schema names them by index. */
function readAllowedHosts(formData: FormData): string[] {
  return formText(formData, "allowed_hosts")
    .split(/[\n,]/)
    .map((host) => host.trim())
    .filter((host) => host !== "");
}

function readEnvironmentFields(formData: FormData) {
  const description = formText(formData, "description");
  const limited = formText(formData, "networking") === "limited";
  return {
    name: formText(formData, "name"),
    description: description.trim() === "" ? null : description,
    config: {
      type: "cloud" as const,
      networking: limited ? { type: "limited" as const, allowed_hosts: readAllowedHosts(formData) } : { type: "unrestricted" as const },
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
    const current = storedMetadata((await getEnvironment(environmentId)).metadata);
    const input = (rows: MetadataRow[]) => ({ ...readEnvironmentFields(formData), metadata: metadataPatchFromRows(current, rows) });
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
