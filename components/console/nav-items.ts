export type NavIcon = "vaults" | "sessions" | "agents" | "environments" | "api-keys" | "audit" | "users";

export interface NavItem {
  href: string;
  label: string;
  icon: NavIcon;
}

export interface NavSection {
  label: string;
  items: NavItem[];
}

/** The console's navigation, in sections. Sections without items are not rendered. */
export const NAV_SECTIONS: NavSection[] = [
  { label: "Credentials", items: [{ href: "/vaults", label: "Vaults", icon: "vaults" }] },
  {
    label: "Runtime",
    items: [
      { href: "/sessions", label: "Sessions", icon: "sessions" },
      { href: "/agents", label: "Agents", icon: "agents" },
      { href: "/environments", label: "Environments", icon: "environments" },
    ],
  },
  {
    label: "Access",
    items: [
      { href: "/api-keys", label: "API keys", icon: "api-keys" },
      { href: "/users", label: "Users", icon: "users" },
    ],
  },
  { label: "Activity", items: [{ href: "/audit", label: "Audit log", icon: "audit" }] },
];
