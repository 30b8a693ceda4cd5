import type { ReactNode } from "react";
import { Brand } from "@/components/brand";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex justify-center">
          <Brand />
        </div>
        {children}
        <p className="mt-6 text-center text-xs text-fg-subtle">Model credentials are stored encrypted and never shown again after saving.</p>
      </div>
    </main>
  );
}
