import type { ReactNode } from "react";
import { ConsoleShell } from "@/components/console/console-shell";
import { UserMenu } from "@/components/console/user-menu";
import { Providers } from "@/components/providers";
import { requireUser } from "@/lib/auth/session";

/**
 * The console shell. Every page below also calls requireUser() itself: a layout is not re-run on
 * every navigation, so it cannot be the only guard.
 */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <Providers>
      <ConsoleShell userMenu={<UserMenu email={user.email} name={user.name} role={user.role} />}>{children}</ConsoleShell>
    </Providers>
  );
}
