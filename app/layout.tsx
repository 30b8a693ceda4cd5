import type { Metadata, Viewport } from "next";
import localFont from "next/font/local";
import type { ReactNode } from "react";
import "./globals.css";

// Inter from the npm package, served by this app: no font request ever leaves the machine.
const inter = localFont({
  src: "../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
  variable: "--font-inter",
  weight: "100 900",
  display: "swap",
});

/**
 * Every page carries a CSP whose script nonce is new on each request (lib/http/security-headers.ts),
 * and Next can only put that nonce on a page it renders for the request: a page prerendered at
 * build time would ship scripts the browser refuses. So no page is static.
 */
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Credential console", template: "%s · Credential console" },
  description: "Vaults of model credentials for Managed Agents sessions",
};

export const viewport: Viewport = {
  colorScheme: "light dark",
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f6f7f9" },
    { media: "(prefers-color-scheme: dark)", color: "#0d0f12" },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" className={inter.variable}>
      <body className="min-h-dvh">{children}</body>
    </html>
  );
}
