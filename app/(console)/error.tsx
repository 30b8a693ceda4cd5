"use client";

import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

/** A page that failed to render: say so plainly, with the digest the server log can be searched for. */
export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <EmptyState
      title="This page could not be loaded"
      actions={
        <Button variant="primary" onClick={reset}>
          Try again
        </Button>
      }
    >
      Something went wrong on the server.{error.digest ? ` Reference: ${error.digest}.` : ""}
    </EmptyState>
  );
}
