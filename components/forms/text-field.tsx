import type { ReactNode } from "react";
import { describedBy, Field } from "@/components/ui/field";
import { Input, Select, Textarea, type InputProps, type SelectProps, type TextareaProps } from "@/components/ui/input";

/** What wires a control to its label, hint and error: the field's name is also its id. */
interface FieldWiring {
  name: string;
  label: ReactNode;
  error: string | null;
  hint?: ReactNode;
  optional?: boolean;
}

function controlWiring({ name, error, hint }: FieldWiring) {
  return { id: name, name, invalid: Boolean(error), "aria-describedby": describedBy(name, { hint: Boolean(hint), error }) };
}

/** A labelled text input with its hint and error announced with it. */
export function TextField({ label, error, hint, optional, ...input }: FieldWiring & Omit<InputProps, "id" | "invalid">) {
  return (
    <Field id={input.name} label={label} error={error} hint={hint} optional={optional}>
      <Input {...input} {...controlWiring({ name: input.name, label, error, hint })} />
    </Field>
  );
}

/** The same for a multi-line text. */
export function TextareaField({ label, error, hint, optional, ...textarea }: FieldWiring & Omit<TextareaProps, "id" | "invalid">) {
  return (
    <Field id={textarea.name} label={label} error={error} hint={hint} optional={optional}>
      <Textarea {...textarea} {...controlWiring({ name: textarea.name, label, error, hint })} />
    </Field>
  );
}

/** The same for a choice among options (the `<option>`s are its children). */
export function SelectField({ label, error, hint, optional, ...select }: FieldWiring & Omit<SelectProps, "id" | "invalid">) {
  return (
    <Field id={select.name} label={label} error={error} hint={hint} optional={optional}>
      <Select {...select} {...controlWiring({ name: select.name, label, error, hint })} />
    </Field>
  );
}
