"use client";

import { useId, useState } from "react";
import { metadataRowIssues, type MetadataRow } from "@/lib/forms/metadata-rows";
import { METADATA_KEY_MAX, METADATA_MAX_PAIRS, METADATA_VALUE_MAX } from "@/lib/validation/limits";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { PlusIcon } from "@/components/console/icons";
import { cn } from "@/lib/cn";

interface Row extends MetadataRow {
  id: number;
}

let nextRowId = 1;

/** One cell of a row: the key or the value, with its own (visually hidden) label and error. */
function RowInput({
  id,
  label,
  name,
  value,
  error,
  onChange,
  mono = false,
}: {
  id: string;
  label: string;
  name: "metadata_key" | "metadata_value";
  value: string;
  error: string | null;
  onChange: (value: string) => void;
  mono?: boolean;
}) {
  return (
    <div>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <Input
        id={id}
        name={name}
        placeholder={name === "metadata_key" ? "key" : "value"}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        invalid={Boolean(error)}
        aria-describedby={error ? `${id}-error` : undefined}
        className={mono ? "font-mono text-[13px]" : undefined}
        autoComplete="off"
        spellCheck={mono ? false : undefined}
      />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

/**
 * Free key/value metadata. Counts against the API's limits together with the pairs the form sets
 * itself, and refuses sandbox0.managed_agents.* keys, which only the form's own fields may set.
 */
export function MetadataEditor({
  reservedCount,
  serverErrors,
  initialRows = [],
}: {
  reservedCount: number;
  serverErrors: Record<string, string>;
  /** The pairs an edit form starts from. */
  initialRows?: MetadataRow[];
}) {
  const headingId = useId();
  const [rows, setRows] = useState<Row[]>(() => initialRows.map((row, index) => ({ ...row, id: -(index + 1) })));
  const [edited, setEdited] = useState<Set<number>>(new Set());
  const [lastServerErrors, setLastServerErrors] = useState(serverErrors);
  if (serverErrors !== lastServerErrors) {
    setLastServerErrors(serverErrors);
    setEdited(new Set());
  }

  const used = rows.filter((row) => row.key.trim() !== "" || row.value !== "").length + reservedCount;
  const atLimit = rows.length + reservedCount >= METADATA_MAX_PAIRS;
  const liveIssues = new Map(metadataRowIssues(rows).map((issue) => [issue.field, issue.message]));

  function errorFor(index: number, part: "key" | "value"): string | null {
    const field = `metadata.rows.${index}.${part}`;
    const row = rows[index];
    if (row && edited.has(row.id)) return liveIssues.get(field) ?? null;
    return liveIssues.get(field) ?? serverErrors[field] ?? null;
  }

  function update(id: number, patch: Partial<MetadataRow>) {
    setRows((current) => current.map((row) => (row.id === id ? { ...row, ...patch } : row)));
    setEdited((current) => new Set(current).add(id));
  }

  return (
    <fieldset aria-labelledby={headingId} className="min-w-0">
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
        <div>
          <legend id={headingId} className="text-[13px] font-medium">
            Metadata
          </legend>
          <p className="text-[12.5px] text-fg-muted">
            Your own labels, such as team or cost centre. Keys up to {METADATA_KEY_MAX} characters, values up to {METADATA_VALUE_MAX}.
          </p>
        </div>
        <span
          className={cn("text-xs tabular-nums", used > METADATA_MAX_PAIRS ? "text-danger" : "text-fg-muted")}
          aria-live="polite"
          data-testid="metadata-count"
        >
          {used} / {METADATA_MAX_PAIRS} pairs{reservedCount > 0 ? ` (${reservedCount} set by this form)` : ""}
        </span>
      </div>
      {reservedCount > 0 ? (
        <p className="mb-2 text-[12.5px] text-fg-muted" data-testid="metadata-reserved-note">
          The settings above are stored as {reservedCount} reserved <span className="font-mono">sandbox0.managed_agents.*</span> pairs, which count against the{" "}
          {METADATA_MAX_PAIRS}-pair limit: {Math.max(METADATA_MAX_PAIRS - reservedCount, 0)} are left for your own.
        </p>
      ) : null}
      {rows.length > 0 ? (
        <ul className="space-y-2">
          {rows.map((row, index) => {
            const keyError = errorFor(index, "key");
            const valueError = errorFor(index, "value");
            const keyId = `metadata-key-${row.id}`;
            const valueId = `metadata-value-${row.id}`;
            return (
              <li key={row.id} className="grid grid-cols-[1fr_1.4fr_auto] items-start gap-2">
                <RowInput
                  id={keyId}
                  label={`Key ${index + 1}`}
                  name="metadata_key"
                  value={row.key}
                  error={keyError}
                  onChange={(key) => update(row.id, { key })}
                  mono
                />
                <RowInput
                  id={valueId}
                  label={`Value ${index + 1}`}
                  name="metadata_value"
                  value={row.value}
                  error={valueError}
                  onChange={(value) => update(row.id, { value })}
                />
                <Button
                  variant="ghost"
                  onClick={() => setRows((current) => current.filter((candidate) => candidate.id !== row.id))}
                  aria-label={`Remove metadata row ${index + 1}`}
                >
                  Remove
                </Button>
              </li>
            );
          })}
        </ul>
      ) : null}
      <Button
        size="sm"
        variant="secondary"
        className="mt-2"
        disabled={atLimit}
        onClick={() => setRows((current) => [...current, { id: nextRowId++, key: "", value: "" }])}
        icon={<PlusIcon className="size-3.5" />}
      >
        Add metadata
      </Button>
      {atLimit ? <p className="mt-1 text-xs text-fg-muted">The {METADATA_MAX_PAIRS}-pair limit is reached.</p> : null}
      <FieldError id="metadata-error" message={serverErrors.metadata} />
    </fieldset>
  );
}
