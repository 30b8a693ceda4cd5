import type { Metadata } from "next";
import { SessionForm } from "@/components/sessions/session-form";
import { newResourcePage } from "../../resource-pages";
import { sessionFormOptions } from "../session-form-options";

export const metadata: Metadata = { title: "New session" };

export default newResourcePage({
  list: { href: "/sessions", label: "Sessions" },
  title: "New session",
  description: "An agent, an environment and exactly one LLM vault make a ready session.",
  form: async () => <SessionForm options={await sessionFormOptions()} />,
});
