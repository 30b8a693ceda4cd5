"use server";

import { formAction, idAction } from "@/lib/actions/action";
import { readToolsForm, sameToolsForm, toolsFormValues, toolsParams } from "@/lib/forms/agent-tools-form";
import { formText } from "@/lib/forms/form-state";
import { metadataFieldRenamer, metadataFormReading, metadataFromRows, metadataPatchFromRows, type MetadataRow } from "@/lib/forms/metadata-rows";
import { archiveAgent, createAgent, getAgent, updateAgent } from "@/lib/server/agents";
import { storedAgentTools } from "@/lib/validation/agent-tools";
import { agentCreateSchema, agentUpdateSchema } from "@/lib/validation/agents";
import { storedMetadata } from "@/lib/validation/common";

/** `model.id` from the schema is the form's one model field; every `tools…` error shows on the Tools section. */
function agentField(rows: MetadataRow[]) {
  const metadataField = metadataFieldRenamer(rows);
  return (field: string): string => (field.startsWith("model") ? "model" : field.startsWith("tools") ? "tools" : metadataField(field));
}

function readTools(formData: FormData) {
  return readToolsForm({ text: (name) => formText(formData, name), all: (name) => formData.getAll(name).filter((value) => typeof value === "string") });
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
  (formData) =>
    metadataFormReading(
      formData,
      (rows) => ({ ...readAgentFields(formData), tools: toolsParams(readTools(formData)), metadata: metadataFromRows(rows) }),
      agentField,
    ),
  (input, { context }) => createAgent(input, context),
  { revalidate: ["/agents"], redirect: (agent) => `/agents/${agent.id}` },
);

/**
 * Saving makes a new version when anything changed; the version the form was opened at must still be
 * current. An untouched Tools section sends no `tools`, so an agent whose tools were set through the
 * API in another shape than the form's (or not at all) keeps them as they are.
 */
export const updateAgentAction = formAction(
  "write",
  agentUpdateSchema,
  async (formData) => {
    const agentId = formText(formData, "agent_id");
    const agent = await getAgent(agentId);
    const current = storedMetadata(agent.metadata);
    const tools = readTools(formData);
    const version = Number(formText(formData, "version"));
    const input = (rows: MetadataRow[]) => ({
      ...readAgentFields(formData),
      ...(sameToolsForm(tools, toolsFormValues(storedAgentTools(agent.tools))) ? {} : { tools: toolsParams(tools) }),
      metadata: metadataPatchFromRows(current, rows),
      ...(Number.isInteger(version) && version > 0 ? { version } : {}),
    });
    return { agentId, ...metadataFormReading(formData, input, agentField) };
  },
  (input, { context }, { agentId }) => updateAgent(agentId, input, context),
  { revalidate: (_agent, { agentId }) => [`/agents/${agentId}`, "/agents"] },
);

export const archiveAgentAction = idAction("write", archiveAgent, (id) => [`/agents/${id}`, "/agents"]);
