import type { InputHTMLAttributes, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { cn } from "@/lib/cn";

const CONTROL =
  "w-full rounded-md border bg-surface text-sm text-fg shadow-xs transition-colors placeholder:text-fg-subtle " +
  "hover:border-border-strong focus-visible:border-accent focus-visible:outline-2 focus-visible:outline-offset-0 " +
  "disabled:cursor-not-allowed disabled:bg-surface-2 disabled:text-fg-muted";

function borderFor(invalid: boolean | undefined): string {
  return invalid ? "border-danger" : "border-border";
}

export interface InputProps extends InputHTMLAttributes<HTMLInputElement> {
  invalid?: boolean;
}

export function Input({ invalid, className, ...props }: InputProps) {
  return <input aria-invalid={invalid || undefined} className={cn(CONTROL, borderFor(invalid), "h-8.5 px-2.5 read-only:bg-surface-2", className)} {...props} />;
}

export interface TextareaProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  invalid?: boolean;
}

export function Textarea({ invalid, className, ...props }: TextareaProps) {
  return (
    <textarea aria-invalid={invalid || undefined} className={cn(CONTROL, borderFor(invalid), "px-2.5 py-2 font-mono text-[13px]", className)} {...props} />
  );
}

export interface SelectProps extends SelectHTMLAttributes<HTMLSelectElement> {
  invalid?: boolean;
}

export function Select({ invalid, className, children, ...props }: SelectProps) {
  return (
    <select aria-invalid={invalid || undefined} className={cn(CONTROL, borderFor(invalid), "h-8.5 px-2 pr-7", className)} {...props}>
      {children}
    </select>
  );
}
