import type { ReactNode } from "react";
import type { MetadataRow } from "@/lib/forms/metadata-rows";
import { Card } from "@/components/ui/card";
import { MetadataEditor } from "@/components/vaults/metadata-editor";

/** A resource form's card: the resource's own fields, then the free metadata rows every resource has. */
export function ResourceFormCard({
  serverErrors,
  initialRows,
  reservedCount = 0,
  children,
}: {
  serverErrors: Record<string, string>;
  initialRows?: MetadataRow[];
  /** Pairs the form's own fields set, which count against the limit too. */
  reservedCount?: number;
  children: ReactNode;
}) {
  return (
    <Card className="space-y-5 p-5">
      {children}
      <div className="border-t border-border pt-5">
        <MetadataEditor reservedCount={reservedCount} serverErrors={serverErrors} initialRows={initialRows} />
      </div>
    </Card>
  );
}
