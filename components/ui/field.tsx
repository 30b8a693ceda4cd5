import type { ReactNode } from "react";
import { cn } from "@/lib/cn";
import { FieldError } from "@/components/ui/field-error";
import { Label } from "@/components/ui/label";

/** Ids a control needs so its label, hint and error are announced with it. */
export function fieldIds(id: string) {
  return { hint: `${id}-hint`, error: `${id}-error` };
}

export function describedBy(id: string, options: { hint?: boolean; error?: string | null }): string | undefined {
  const ids = fieldIds(id);
  const parts = [options.hint ? ids.hint : null, options.error ? ids.error : null].filter(Boolean);
  return parts.length ? parts.join(" ") : undefined;
}

export interface FieldProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  optional?: boolean;
  className?: string;
  children: ReactNode;
}

/** Label, control, hint and inline error in the one layout every form uses. */
export function Field({ id, label, hint, error, optional, className, children }: FieldProps) {
  const ids = fieldIds(id);
  return (
    <div className={cn("min-w-0", className)}>
      <div className="mb-1.5 flex items-baseline justify-between gap-2">
        <Label htmlFor={id}>{label}</Label>
        {optional ? <span className="text-xs text-fg-subtle">Optional</span> : null}
      </div>
      {children}
      {hint ? (
        <p id={ids.hint} className="mt-1 text-[12.5px] leading-snug text-fg-muted">
          {hint}
        </p>
      ) : null}
      <FieldError id={ids.error} message={error} />
    </div>
  );
}
