"use client";

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { lazyDialog } from "@/components/ui/lazy-dialog";

export type ToastTone = "success" | "error" | "info";

export interface Toast {
  id: number;
  message: string;
  tone: ToastTone;
}

interface ToastApi {
  toast(message: string, tone?: ToastTone): void;
}

const ToastContext = createContext<ToastApi>({ toast: () => undefined });

let nextId = 1;

/** Radix Toast arrives with the first toast, not with the page (components/ui/toast-viewport.tsx). */
const ToastViewport = lazyDialog(() => import("@/components/ui/toast-viewport").then((module) => module.default));

/**
 * Confirmations after a change. The list of toasts lives here; the viewport that shows them
 * (Radix Toast: announced, paused on hover or focus, swiped away, F8) is loaded and mounted with
 * the first one, and stays mounted after, so later toasts need no load.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [used, setUsed] = useState(false);
  const dismiss = useCallback((id: number) => setToasts((current) => current.filter((toast) => toast.id !== id)), []);
  const api = useMemo<ToastApi>(
    () => ({
      toast(message, tone = "success") {
        const id = nextId++;
        setUsed(true);
        setToasts((current) => [...current.slice(-3), { id, message, tone }]);
      },
    }),
    [],
  );
  return (
    <ToastContext.Provider value={api}>
      {children}
      {used ? <ToastViewport toasts={toasts} onDismiss={dismiss} /> : null}
    </ToastContext.Provider>
  );
}

export function useToast(): ToastApi {
  return useContext(ToastContext);
}
