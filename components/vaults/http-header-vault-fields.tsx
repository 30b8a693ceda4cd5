import { CREDENTIAL_VAULT_OPTIONS } from "@/lib/forms/vault-form";
import { SelectField, TextareaField, TextField } from "@/components/forms/text-field";

/** The HTTP-header vault's fields, as the forms' error messages name them. */
export const HTTP_HEADER_VAULT_LABELS = {
  target_domains: "Target domains",
  headers_json: "Headers template",
  protocol: "Protocol",
  tls_mode: "TLS mode",
  failure_policy: "Failure policy",
} as const;

export type HttpHeaderVaultField = keyof typeof HTTP_HEADER_VAULT_LABELS;

/** What the fields start with: a new vault's defaults, or the vault being edited. */
export interface HttpHeaderVaultValues {
  targetDomains: string;
  headersJson: string;
  protocol: string;
  tlsMode: string;
  failurePolicy: string;
}

/** A new vault's starting values: no domains or headers, and each choice's first option (the safe one). */
export const NEW_HTTP_HEADER_VAULT: HttpHeaderVaultValues = {
  targetDomains: "",
  headersJson: "",
  protocol: CREDENTIAL_VAULT_OPTIONS.protocol[0],
  tlsMode: CREDENTIAL_VAULT_OPTIONS.tls_mode[0],
  failurePolicy: CREDENTIAL_VAULT_OPTIONS.failure_policy[0],
};

/**
 * Target domains, the headers template and the protocol / TLS mode / failure policy choices, as
 * both the create form and the edit dialog show them. Uncontrolled: the form posts them by name.
 * `error` is the form's own lookup (the create form reads its last answer, the dialog its live errors).
 */
export function HttpHeaderVaultFields({ values, error }: { values: HttpHeaderVaultValues; error: (field: HttpHeaderVaultField) => string | null }) {
  const choices = [
    ["protocol", values.protocol],
    ["tls_mode", values.tlsMode],
    ["failure_policy", values.failurePolicy],
  ] as const;
  return (
    <>
      <TextField
        name="target_domains"
        label={HTTP_HEADER_VAULT_LABELS.target_domains}
        error={error("target_domains")}
        hint="Comma-separated hostnames; *.example.com matches subdomains."
        placeholder="api.example.com, *.example.org"
        defaultValue={values.targetDomains}
        autoComplete="off"
        spellCheck={false}
        className="font-mono text-[13px]"
      />
      <TextareaField
        name="headers_json"
        label={HTTP_HEADER_VAULT_LABELS.headers_json}
        error={error("headers_json")}
        hint="A JSON object of header name to template. Templates reference the credential; never paste a secret here."
        rows={3}
        placeholder={'{"Authorization": "Bearer {{token}}"}'}
        defaultValue={values.headersJson}
        spellCheck={false}
      />
      <div className="grid gap-4 sm:grid-cols-3">
        {choices.map(([field, value]) => (
          <SelectField key={field} name={field} label={HTTP_HEADER_VAULT_LABELS[field]} error={error(field)} defaultValue={value}>
            {CREDENTIAL_VAULT_OPTIONS[field].map((option) => (
              <option key={option}>{option}</option>
            ))}
          </SelectField>
        ))}
      </div>
    </>
  );
}
