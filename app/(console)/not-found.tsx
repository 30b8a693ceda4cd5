import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function ConsoleNotFound() {
  return (
    <EmptyState
      title="Not found"
      actions={
        <Link href="/vaults" className={buttonClasses("primary")}>
          Back to vaults
        </Link>
      }
    >
      Nothing here: it may have been deleted, or the link is mistyped.
    </EmptyState>
  );
}
