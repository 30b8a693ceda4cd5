import type { Metadata } from "next";
import { AgentForm } from "@/components/agents/agent-form";
import { newResourcePage } from "../../resource-pages";

export const metadata: Metadata = { title: "New agent" };

export default newResourcePage({
  list: { href: "/agents", label: "Agents" },
  title: "New agent",
  description: "The model and prompt a session runs. It starts at version 1.",
  form: () => <AgentForm />,
});
