import { Badge } from "@/components/ui/badge";
import { VAULT_KIND_LABELS, type VaultKind } from "@/lib/vault-kind";

const TONES = { llm: "accent", credential: "info", other: "neutral" } as const;

export function VaultKindBadge({ kind }: { kind: VaultKind }) {
  return <Badge tone={TONES[kind]}>{VAULT_KIND_LABELS[kind]}</Badge>;
}
