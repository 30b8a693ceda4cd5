"use client";

import * as RadixToast from "@radix-ui/react-toast";
import { createContext, useCallback, useContext, useMemo, useState, useSyncExternalStore, type ReactNode } from "react";
import { cn } from "@/lib/cn";

export type ToastTone = "success" | "error" | "info";

interface Toast {
  id: number;
  message: string;
  tone: ToastTone;
}

interface ToastApi {
  toast(message: string, tone?: ToastTone): void;
}

const ToastContext = createContext<ToastApi>({ toast: () => undefined });

const DURATION_MS = 5000;
let nextId = 1;

const TONES: Record<ToastTone, string> = {
  success: "border-l-[3px] border-l-emerald-500",
  error: "border-l-[3px] border-l-danger",
  info: "border-l-[3px] border-l-accent",
};

/**
 * Confirmations after a change, on Radix Toast: announced to screen readers (errors assertively),
 * paused while hovered or focused, swiped away on touch, and reachable with F8.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((current) => current.filter((toast) => toast.id !== id)), []);
  const api = useMemo<ToastApi>(
    () => ({
      toast(message, tone = "success") {
        const id = nextId++;
        setToasts((current) => [...current.slice(-3), { id, message, tone }]);
      },
    }),
    [],
  );
  // The viewport carries an inline `style` (pointer-events) while empty; rendered on the server it
  // would be a style attribute, which the console's CSP refuses. On the client React sets it
  // through the CSSOM, which the CSP allows, so the viewport is rendered after hydration only.
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  return (
    <ToastContext.Provider value={api}>
      <RadixToast.Provider duration={DURATION_MS} label="Notification">
        {children}
        {toasts.map((toast) => (
          <RadixToast.Root
            key={toast.id}
            type={toast.tone === "error" ? "foreground" : "background"}
            onOpenChange={(open) => {
              if (!open) dismiss(toast.id);
            }}
            className={cn(
              "flex items-start justify-between gap-3 rounded-lg border border-border bg-surface px-3.5 py-2.5 text-sm shadow-lg",
              "data-[swipe=move]:translate-x-(--radix-toast-swipe-move-x) data-[swipe=end]:translate-x-(--radix-toast-swipe-end-x)",
              TONES[toast.tone],
            )}
          >
            <RadixToast.Description>{toast.message}</RadixToast.Description>
            <RadixToast.Close className="rounded text-fg-subtle hover:text-fg" aria-label="Dismiss notification">
              ×
            </RadixToast.Close>
          </RadixToast.Root>
        ))}
        {hydrated ? <RadixToast.Viewport className="fixed right-4 bottom-4 z-[60] flex w-[min(24rem,calc(100%-2rem))] flex-col gap-2 outline-none" /> : null}
      </RadixToast.Provider>
    </ToastContext.Provider>
  );
}

function noSubscription(): () => void {
  return () => undefined;
}

export function useToast(): ToastApi {
  return useContext(ToastContext);
}
