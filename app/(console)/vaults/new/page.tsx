import type { Metadata } from "next";
import { CreateVaultForm } from "@/components/vaults/create-vault-form";
import { VAULT_FORM_KINDS } from "@/lib/forms/vault-form";
import { newResourcePage } from "../../resource-pages";

export const metadata: Metadata = { title: "New vault" };

export default newResourcePage({
  list: { href: "/vaults", label: "Vaults" },
  title: "New vault",
  description: "Pick what the vault is for; the form sets the reserved sandbox0.managed_agents.* metadata for you.",
  form: ({ kind }) => <CreateVaultForm initialKind={VAULT_FORM_KINDS.find((candidate) => candidate === kind) ?? "llm"} />,
});
