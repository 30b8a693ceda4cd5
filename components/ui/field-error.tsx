import { cn } from "@/lib/cn";

/** The error under a field. Its id is what the field's aria-describedby points at. */
export function FieldError({ id, message, className }: { id: string; message?: string | null; className?: string }) {
  if (!message) return null;
  return (
    <p id={id} className={cn("mt-1 flex items-start gap-1 text-[13px] text-danger", className)}>
      <svg className="mt-0.5 size-3.5 shrink-0" viewBox="0 0 16 16" fill="currentColor" aria-hidden="true">
        <path d="M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1Zm-.75 3.5h1.5v5h-1.5v-5Zm0 6.25h1.5v1.5h-1.5v-1.5Z" />
      </svg>
      <span>{message}</span>
    </p>
  );
}
