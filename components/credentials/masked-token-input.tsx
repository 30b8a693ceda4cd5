"use client";

import { useId, useState, type ClipboardEvent } from "react";
import { cn } from "@/lib/cn";
import { describedBy, Field } from "@/components/ui/field";

export interface MaskedTokenInputProps {
  /** The form field name the action reads. */
  name: string;
  label: string;
  /** The schema's limit for this secret (lib/validation/credentials.ts). */
  maxLength: number;
  hint?: string;
  /** The server's verdict on this field, if the last submit failed on it. */
  error?: string | null;
  placeholder?: string;
  autoFocus?: boolean;
}

/** Line breaks and surrounding spaces come along with a copied token far more often than they belong. */
export function cleanPastedSecret(text: string): string {
  return text.replace(/[\r\n\t]+/g, "").trim();
}

/**
 * The one input every secret goes through. It is write-only by design: the value lives in this
 * component's state while the form is open and nowhere else — the server never sends a secret back,
 * so "reveal" can only ever show what was typed here.
 */
export function MaskedTokenInput({ name, label, maxLength, hint, error, placeholder, autoFocus }: MaskedTokenInputProps) {
  const id = useId();
  const [value, setValue] = useState("");
  const [revealed, setRevealed] = useState(false);
  // Edited at least once: a field the dialog focused on opening (and left empty on the way to
  // Save or Cancel) is not yet an error; the submit's own answer says what is missing.
  const [touched, setTouched] = useState(false);
  const [editedSinceError, setEditedSinceError] = useState(false);
  const [lastError, setLastError] = useState(error);
  if (error !== lastError) {
    setLastError(error);
    setEditedSinceError(false);
  }

  const tooLong = value.length > maxLength;
  const localError = tooLong
    ? `${label} is ${value.length.toLocaleString("en-US")} characters; the limit is ${maxLength.toLocaleString("en-US")}`
    : touched && value.length === 0
      ? `Enter the ${label.toLowerCase()}`
      : null;
  // The server's error describes the value that was submitted; once it is edited, local checks speak.
  const shownError = localError ?? (editedSinceError ? null : (error ?? null));

  function onPaste(event: ClipboardEvent<HTMLInputElement>) {
    const pasted = event.clipboardData.getData("text");
    const cleaned = cleanPastedSecret(pasted);
    if (cleaned === pasted) return;
    event.preventDefault();
    const input = event.currentTarget;
    const start = input.selectionStart ?? value.length;
    const end = input.selectionEnd ?? value.length;
    setValue(value.slice(0, start) + cleaned + value.slice(end));
    setTouched(true);
    setEditedSinceError(true);
  }

  return (
    <Field id={id} label={label} hint={hint} error={shownError}>
      <div className="relative">
        <input
          id={id}
          name={name}
          type={revealed ? "text" : "password"}
          value={value}
          onChange={(event) => {
            setValue(event.target.value);
            setTouched(true);
            setEditedSinceError(true);
          }}
          onPaste={onPaste}
          placeholder={placeholder}
          autoFocus={autoFocus}
          autoComplete="new-password"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          data-1p-ignore
          data-lpignore="true"
          data-bwignore
          data-secret-input
          aria-invalid={shownError ? true : undefined}
          aria-describedby={describedBy(id, { hint: Boolean(hint), error: shownError })}
          className={cn(
            "h-8.5 w-full rounded-md border bg-surface pr-20 pl-2.5 font-mono text-[13px] text-fg shadow-xs placeholder:font-sans placeholder:text-fg-subtle",
            "hover:border-border-strong focus-visible:border-accent focus-visible:outline-2 focus-visible:outline-offset-0",
            shownError ? "border-danger" : "border-border",
          )}
        />
        <button
          type="button"
          aria-pressed={revealed}
          aria-controls={id}
          onClick={() => setRevealed((current) => !current)}
          className="absolute inset-y-1 right-1 inline-flex items-center gap-1 rounded px-2 text-xs font-medium text-fg-muted hover:bg-surface-2 hover:text-fg"
        >
          <svg viewBox="0 0 16 16" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="1.4" aria-hidden="true">
            <path d="M1.5 8S4 3.5 8 3.5 14.5 8 14.5 8 12 12.5 8 12.5 1.5 8 1.5 8Z" />
            <circle cx="8" cy="8" r="2" />
            {revealed ? null : <path d="m2.5 13.5 11-11" strokeLinecap="round" />}
          </svg>
          {revealed ? "Hide" : "Show"}
          <span className="sr-only"> {label.toLowerCase()}</span>
        </button>
      </div>
      <p className="mt-1 flex justify-between text-[12px] text-fg-subtle">
        <span>Stored encrypted; never shown again after saving.</span>
        <span className={tooLong ? "text-danger" : undefined}>
          {value.length > 0 ? `${value.length.toLocaleString("en-US")} / ${maxLength.toLocaleString("en-US")}` : null}
        </span>
      </p>
    </Field>
  );
}
