import Link from "next/link";
import type { ReactNode } from "react";
import { FormError } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";

/** Below a resource form: its error, a note or the way out, and the submit button that says what it does. */
export function FormFooter({
  formError,
  note,
  cancelHref,
  pending,
  submit,
}: {
  formError: string | undefined;
  note?: ReactNode;
  cancelHref?: string;
  pending: boolean;
  /** The button's words when idle and while the action runs: ["Create agent", "Creating…"]. */
  submit: [string, string];
}) {
  return (
    <>
      <FormError message={formError} />
      <div className="flex items-center justify-end gap-2">
        {note ? <span className="mr-auto text-[13px] text-fg-muted">{note}</span> : null}
        {cancelHref ? (
          <Link href={cancelHref} className={buttonClasses("ghost")}>
            Cancel
          </Link>
        ) : null}
        <Button type="submit" variant="primary" pending={pending}>
          {pending ? submit[1] : submit[0]}
        </Button>
      </div>
    </>
  );
}
