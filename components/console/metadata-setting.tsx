import { Setting } from "@/components/ui/setting";

/** The settings list's metadata entry: each pair as `key = value`, or None. */
export function MetadataSetting({ entries }: { entries: [string, string][] }) {
  return (
    <Setting label="Metadata">
      {entries.length === 0 ? (
        <span className="text-fg-subtle">None</span>
      ) : (
        <ul className="space-y-1">
          {entries.map(([key, value]) => (
            <li key={key} className="font-mono text-[12.5px] break-all">
              <span className="text-fg-muted">{key}</span> = {value}
            </li>
          ))}
        </ul>
      )}
    </Setting>
  );
}
