import type { SVGProps } from "react";

type IconProps = SVGProps<SVGSVGElement>;

function Icon({ children, ...props }: IconProps) {
  return (
    <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" {...props}>
      {children}
    </svg>
  );
}

export function VaultIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <rect x="3" y="3.5" width="14" height="13" rx="2" />
      <circle cx="10" cy="10" r="2.75" />
      <path d="M10 7.25V6M12.75 10H14M5.5 16.5v1M14.5 16.5v1" />
    </Icon>
  );
}

export function KeyIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <circle cx="7" cy="13" r="3.5" />
      <path d="m9.5 10.5 7-7M14 6l2 2M12 8l1.5 1.5" />
    </Icon>
  );
}

export function AuditIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M5 3.5h7l3 3v10H5z" />
      <path d="M12 3.5v3h3M7.5 10h5M7.5 13h5" />
    </Icon>
  );
}

export function UsersIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <circle cx="8" cy="7" r="3" />
      <path d="M2.5 16.5c.6-2.8 2.8-4.5 5.5-4.5s4.9 1.7 5.5 4.5" />
      <path d="M13 4.2a3 3 0 0 1 0 5.6M15 12.3c1.3.7 2.2 2.2 2.5 4.2" />
    </Icon>
  );
}

export function SessionsIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <rect x="3" y="4" width="14" height="12" rx="2" />
      <path d="m6.5 8.5 2 1.5-2 1.5M10.5 12h3" />
    </Icon>
  );
}

export function PlusIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M10 4.5v11M4.5 10h11" />
    </Icon>
  );
}

export function SearchIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <circle cx="9" cy="9" r="5" />
      <path d="m16 16-3.5-3.5" />
    </Icon>
  );
}

export function MenuIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M3.5 6h13M3.5 10h13M3.5 14h13" />
    </Icon>
  );
}

export function SparkIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M10 2.5v4M10 13.5v4M2.5 10h4M13.5 10h4M5 5l2.5 2.5M12.5 12.5 15 15M15 5l-2.5 2.5M7.5 12.5 5 15" />
    </Icon>
  );
}

export function HeaderIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M3.5 5.5h13M3.5 10h9M3.5 14.5h6" />
      <path d="m14 12.5 2.5 2-2.5 2" />
    </Icon>
  );
}

export function PlugIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M7 3v4M13 3v4M5 7h10v3a5 5 0 0 1-10 0zM10 15v2.5" />
    </Icon>
  );
}

export function ChevronRightIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="m8 5 5 5-5 5" />
    </Icon>
  );
}

export function SignOutIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M8 4H5a1.5 1.5 0 0 0-1.5 1.5v9A1.5 1.5 0 0 0 5 16h3M12.5 13.5 16 10l-3.5-3.5M16 10H8" />
    </Icon>
  );
}

export function AgentIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <rect x="4" y="6" width="12" height="10" rx="2.5" />
      <path d="M10 6V3.5M8 10.5v1M12 10.5v1M2.5 10v2.5M17.5 10v2.5" />
    </Icon>
  );
}

export function EnvironmentIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="m10 2.5 7 4-7 4-7-4z" />
      <path d="m3 10 7 4 7-4M3 13.5l7 4 7-4" />
    </Icon>
  );
}
