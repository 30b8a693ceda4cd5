"use server";

import { formAction, idAction } from "@/lib/actions/action";
import { formText } from "@/lib/forms/form-state";
import { metadataFieldRenamer, metadataFormReading, metadataFromRows, metadataPatchFromRows, type MetadataRow } from "@/lib/forms/metadata-rows";
import { archiveAgent, createAgent, getAgent, updateAgent } from "@/lib/server/agents";
import { agentCreateSchema, agentUpdateSchema } from "@/lib/validation/agents";
import { storedMetadata } from "@/lib/validation/common";

/** `model.id` from the schema is the form's one model field. */
function agentField(rows: MetadataRow[]) {
  const metadataField = metadataFieldRenamer(rows);
  return (field: string): string => (field.startsWith("model") ? "model" : metadataField(field));
}

function readAgentFields(formData: FormData) {
  const system = formText(formData, "system");
  const description = formText(formData, "description");
  return {
    name: formText(formData, "name"),
    model: formText(formData, "model").trim(),
    // An empty textarea means "none", as the API's null does.
    system: system.trim() === "" ? null : system,
    description: description.trim() === "" ? null : description,
  };
}

export const createAgentAction = formAction(
  "write",
  agentCreateSchema,
  (formData) => metadataFormReading(formData, (rows) => ({ ...readAgentFields(formData), metadata: metadataFromRows(rows) }), agentField),
  (input, { context }) => createAgent(input, context),
  { revalidate: ["/agents"], redirect: (agent) => `/agents/${agent.id}` },
);

/** Saving makes a new version when anything changed; the version the form was opened at must still be current. */
export const updateAgentAction = formAction(
  "write",
  agentUpdateSchema,
  async (formData) => {
    const agentId = formText(formData, "agent_id");
    const current = storedMetadata((await getAgent(agentId)).metadata);
    const version = Number(formText(formData, "version"));
    const input = (rows: MetadataRow[]) => ({
      ...readAgentFields(formData),
      metadata: metadataPatchFromRows(current, rows),
      ...(Number.isInteger(version) && version > 0 ? { version } : {}),
    });
    return { agentId, ...metadataFormReading(formData, input, agentField) };
  },
  (input, { context }, { agentId }) => updateAgent(agentId, input, context),
  { revalidate: (_agent, { agentId }) => [`/agents/${agentId}`, "/agents"] },
);

export const archiveAgentAction = idAction("write", archiveAgent, (id) => [`/agents/${id}`, "/agents"]);
