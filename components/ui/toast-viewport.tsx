"use client";

import * as RadixToast from "@radix-ui/react-toast";
import { cn } from "@/lib/cn";
import type { Toast, ToastTone } from "@/components/ui/toast";

const DURATION_MS = 5000;

const TONES: Record<ToastTone, string> = {
  success: "border-l-[3px] border-l-emerald-500",
  error: "border-l-[3px] border-l-danger",
  info: "border-l-[3px] border-l-accent",
};

/**
 * The toasts on Radix Toast: announced to screen readers (errors assertively), paused while hovered
 * or focused, swiped away on touch, and reachable with F8. Its own module, loaded with the first
 * toast (components/ui/toast.tsx), so Radix Toast is not part of any page's first load. Rendered in
 * the browser only: the viewport's inline `style` (pointer-events) would be a style attribute in
 * server HTML, which the console's CSP refuses; React sets it through the CSSOM, which it allows.
 */
export default function ToastViewport({ toasts, onDismiss }: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  return (
    <RadixToast.Provider duration={DURATION_MS} label="Notification">
      {toasts.map((toast) => (
        <RadixToast.Root
          key={toast.id}
          type={toast.tone === "error" ? "foreground" : "background"}
          onOpenChange={(open) => {
            if (!open) onDismiss(toast.id);
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
      <RadixToast.Viewport className="fixed right-4 bottom-4 z-[60] flex w-[min(24rem,calc(100%-2rem))] flex-col gap-2 outline-none" />
    </RadixToast.Provider>
  );
}
