import { cn } from "@/lib/cn";

/** The console's mark: a vault door. */
export function BrandMark({ className }: { className?: string }) {
  return (
    <span className={cn("inline-flex size-7 items-center justify-center rounded-lg bg-accent text-accent-fg shadow-sm", className)} aria-hidden="true">
      <svg viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.7">
        <rect x="3" y="3" width="14" height="14" rx="3" />
        <circle cx="10" cy="10" r="3" />
        <path d="M10 7V5.5M10 14.5V13M7 10H5.5M14.5 10H13" strokeLinecap="round" />
      </svg>
    </span>
  );
}

export function Brand() {
  return (
    <span className="flex items-center gap-2.5">
      <BrandMark />
      <span className="leading-tight">
        <span className="block text-sm font-semibold">Credential console</span>
        <span className="block text-xs text-fg-muted">Managed Agents</span>
      </span>
    </span>
  );
}
