import type { ReactNode } from "react";
import { cn } from "@/lib/cn";

export type AlertTone = "danger" | "warning" | "info" | "success";

const TONES: Record<AlertTone, string> = {
  danger: "border-danger/30 bg-danger-soft text-danger-soft-fg",
  warning: "border-amber-500/30 bg-warning-soft text-warning-soft-fg",
  info: "border-sky-500/25 bg-info-soft text-info-soft-fg",
  success: "border-emerald-500/30 bg-success-soft text-success-soft-fg",
};

/**
 * An inline message box. Form-level errors use it inside an aria-live region so they are announced
 * (not role="alert": Next's route announcer already has that role).
 */
export function Alert({ tone = "info", title, children, className }: { tone?: AlertTone; title?: ReactNode; children?: ReactNode; className?: string }) {
  return (
    <div className={cn("rounded-md border px-3 py-2.5 text-sm", TONES[tone], className)}>
      {title ? <p className="font-medium">{title}</p> : null}
      {children ? <div className={cn(title ? "mt-0.5" : "", "leading-snug")}>{children}</div> : null}
    </div>
  );
}

/** The live region a form's overall error is rendered into. */
export function FormError({ message, className }: { message?: string | null; className?: string }) {
  return (
    <div aria-live="assertive" className={className}>
      {message ? <Alert tone="danger">{message}</Alert> : null}
    </div>
  );
}
