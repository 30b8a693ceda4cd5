import Link from "next/link";
import { Brand } from "@/components/brand";
import { buttonClasses } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-5 px-4 text-center">
      <Brand />
      <div>
        <h1 className="text-lg font-semibold">Page not found</h1>
        <p className="mt-1 text-sm text-fg-muted">The console has no page at this address.</p>
      </div>
      <Link href="/vaults" className={buttonClasses("primary")}>
        Go to vaults
      </Link>
    </main>
  );
}
