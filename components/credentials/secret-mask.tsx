/** Always this many dots, whatever the secret's length: the mask must not leak the length. */
const MASK = "••••••••••••";

/** How a stored secret appears after it was saved: a fixed mask plus the non-secret token_hint. */
export function SecretMask({ hint, purged }: { hint: string | null; purged?: boolean }) {
  if (purged) return <span className="text-xs text-fg-subtle">Destroyed on archive</span>;
  return (
    <span className="inline-flex items-center gap-1.5 font-mono text-xs">
      <span aria-hidden="true" className="tracking-[0.02em] text-fg-subtle">
        {MASK}
      </span>
      <span className="text-fg-muted">{hint ?? ""}</span>
      <span className="sr-only">{hint ? `Secret hidden, ends in ${hint.replace("…", "")}` : "Secret hidden"}</span>
    </span>
  );
}
