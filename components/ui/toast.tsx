"use client";

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
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

/** Confirmations after a change, read out by screen readers through a polite live region. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((current) => current.filter((toast) => toast.id !== id)), []);
  const api = useMemo<ToastApi>(
    () => ({
      toast(message, tone = "success") {
        const id = nextId++;
        setToasts((current) => [...current.slice(-3), { id, message, tone }]);
        setTimeout(() => dismiss(id), DURATION_MS);
      },
    }),
    [dismiss],
  );
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div role="status" aria-live="polite" className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-[min(24rem,calc(100%-2rem))] flex-col gap-2">
        {toasts.map((toast) => (
          <div
            key={toast.id}
            className={cn(
              "pointer-events-auto flex items-start justify-between gap-3 rounded-lg border border-border bg-surface px-3.5 py-2.5 text-sm shadow-lg",
              TONES[toast.tone],
            )}
          >
            <span>{toast.message}</span>
            <button type="button" className="text-fg-subtle hover:text-fg" onClick={() => dismiss(toast.id)} aria-label="Dismiss notification">
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): ToastApi {
  return useContext(ToastContext);
}
