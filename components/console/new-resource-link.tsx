import Link from "next/link";
import type { ReactNode } from "react";
import { buttonClasses } from "@/components/ui/button";
import { PlusIcon } from "@/components/console/icons";

/** The primary "New agent" / "Create an agent" link, shown only to users who may write. */
export function NewResourceLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link href={href} className={buttonClasses("primary")}>
      <PlusIcon className="size-4" /> {children}
    </Link>
  );
}
