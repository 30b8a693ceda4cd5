"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/cn";
import { AgentIcon, AuditIcon, EnvironmentIcon, KeyIcon, SessionsIcon, UsersIcon, VaultIcon } from "@/components/console/icons";
import { NAV_SECTIONS, type NavIcon } from "@/components/console/nav-items";

const ICONS: Record<NavIcon, typeof VaultIcon> = {
  vaults: VaultIcon,
  sessions: SessionsIcon,
  agents: AgentIcon,
  environments: EnvironmentIcon,
  "api-keys": KeyIcon,
  audit: AuditIcon,
  users: UsersIcon,
};

export function ConsoleNav({ onNavigate }: { onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Console" className="space-y-5">
      {NAV_SECTIONS.filter((section) => section.items.length > 0).map((section) => (
        <div key={section.label}>
          <p className="mb-1 px-2.5 text-[11px] font-medium tracking-wide text-fg-subtle uppercase">{section.label}</p>
          <ul className="space-y-0.5">
            {section.items.map((item) => {
              const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
              const ItemIcon = ICONS[item.icon];
              return (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    onClick={onNavigate}
                    aria-current={active ? "page" : undefined}
                    className={cn(
                      "flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm transition-colors",
                      active ? "bg-accent-soft font-medium text-accent-soft-fg" : "text-fg-muted hover:bg-surface-2 hover:text-fg",
                    )}
                  >
                    <ItemIcon className="size-4.5 shrink-0" />
                    {item.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
