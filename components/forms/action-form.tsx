"use client";

import { startTransition, type FormEvent, type FormHTMLAttributes, type ReactNode } from "react";

export interface ActionFormProps extends Omit<FormHTMLAttributes<HTMLFormElement>, "action" | "onSubmit"> {
  /** The dispatch function from useActionState. */
  action: (formData: FormData) => void;
  children: ReactNode;
}

/**
 * Submits to a server action without React's automatic form reset: after an error every field
 * keeps what the person typed — including secrets, which never make a round trip to get there.
 */
export function ActionForm({ action, children, ...props }: ActionFormProps) {
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formData = new FormData(event.currentTarget);
    startTransition(() => action(formData));
  }
  return (
    <form noValidate onSubmit={onSubmit} {...props}>
      {children}
    </form>
  );
}
