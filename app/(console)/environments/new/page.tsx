import type { Metadata } from "next";
import { EnvironmentForm } from "@/components/environments/environment-form";
import { newResourcePage } from "../../resource-pages";

export const metadata: Metadata = { title: "New environment" };

export default newResourcePage({
  list: { href: "/environments", label: "Environments" },
  title: "New environment",
  description: "A cloud environment: where the runtime runs and which hosts it may reach.",
  form: () => <EnvironmentForm />,
});
