"use client";

import { useCallback, useEffect, useRef } from "react";

/**
 * Where focus goes when a dialog opens and closes.
 *
 * Opening: Radix's default is the first tabbable element, which in our dialogs is the × button:
 * typing then goes nowhere and the next Enter closes the dialog (issue 13). A field rendered with
 * React's `autoFocus` is already focused when Radix looks (it leaves it alone); otherwise the one
 * marked `data-autofocus`, else the first field gets focus, else Radix's default.
 *
 * Closing: back to the opener. Radix remembers whatever was focused when its focus scope mounted,
 * which is the `autoFocus` field itself (React focuses it first), and a menu item that opened the
 * dialog is gone by then. So the last element focused outside any dialog or menu is tracked here,
 * and the dialog returns to it; if the action removed it (the "Add token" button of a vault that
 * now holds its token), to the section it was in.
 */
const FIELD_SELECTOR = [
  "input:not([type=hidden]):not([disabled]):not([readonly])",
  "select:not([disabled])",
  "textarea:not([disabled]):not([readonly])",
  '[contenteditable="true"]',
].join(",");
const LAYER_SELECTOR = '[role="dialog"], [role="alertdialog"], [role="menu"], [role="listbox"]';
const REGION_SELECTOR = "section, [role=region], form, main";

let lastOutsideFocus: HTMLElement | null = null;
if (typeof document !== "undefined") {
  document.addEventListener(
    "focusin",
    (event) => {
      const target = event.target;
      if (target instanceof HTMLElement && target !== document.body && !target.closest(LAYER_SELECTOR)) lastOutsideFocus = target;
    },
    true,
  );
}

function firstField(content: HTMLElement): HTMLElement | undefined {
  return (
    content.querySelector<HTMLElement>("[data-autofocus]") ??
    [...content.querySelectorAll<HTMLElement>(FIELD_SELECTOR)].find((element) => element.getClientRects().length > 0)
  );
}

export function dialogOpenAutoFocus(event: Event): void {
  const content = event.currentTarget;
  if (!(content instanceof HTMLElement)) return;
  const target = firstField(content);
  if (!target) return; // Radix's default: the first tabbable element (AlertDialog: Cancel).
  event.preventDefault();
  target.focus();
}

interface Opener {
  element: HTMLElement;
  region: HTMLElement | null;
}

/** The `onOpenAutoFocus`/`onCloseAutoFocus` pair for a Radix dialog's content. */
export function useDialogFocus(open: boolean): { onOpenAutoFocus: (event: Event) => void; onCloseAutoFocus: (event: Event) => void } {
  const opener = useRef<Opener | null>(null);
  useEffect(() => {
    if (!open) return;
    const element = lastOutsideFocus;
    opener.current = element?.isConnected ? { element, region: element.parentElement?.closest<HTMLElement>(REGION_SELECTOR) ?? null } : null;
  }, [open]);
  const onCloseAutoFocus = useCallback((event: Event) => {
    const target = opener.current;
    if (!target) return; // Radix's default: the trigger, if any.
    event.preventDefault();
    opener.current = null;
    if (target.element.isConnected) {
      target.element.focus();
      return;
    }
    const region = target.region?.isConnected ? target.region : document.querySelector<HTMLElement>("main");
    if (!region) return;
    if (!region.hasAttribute("tabindex")) region.setAttribute("tabindex", "-1");
    region.focus();
  }, []);
  return { onOpenAutoFocus: dialogOpenAutoFocus, onCloseAutoFocus };
}
