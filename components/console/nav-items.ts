export type NavIcon = "vaults" | "sessions" | "api-keys" | "audit" | "users";

export interface NavItem {
  href: string;
  label: string;
  icon: NavIcon;
}

export interface NavSection {
  label: string;
  items: NavItem[];
}

/**
 * The console's navigation, in sections. The "Runtime" section is where Sessions (and agents and
 * environments) go when that work lands: add `{ href: "/sessions", label: "Sessions", icon:
 * "sessions" }` to its items. Sections without items are not rendered.
 */
export const NAV_SECTIONS: NavSection[] = [
  { label: "Credentials", items: [{ href: "/vaults", label: "Vaults", icon: "vaults" }] },
  { label: "Runtime", items: [] },
  {
    label: "Access",
    items: [
      { href: "/api-keys", label: "API keys", icon: "api-keys" },
      { href: "/users", label: "Users", icon: "users" },
    ],
  },
  { label: "Activity", items: [{ href: "/audit", label: "Audit log", icon: "audit" }] },
];
