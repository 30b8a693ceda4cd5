"use client";

import * as RadixMenu from "@radix-ui/react-dropdown-menu";
import type { ComponentProps } from "react";
import { cn } from "@/lib/cn";
import "@/components/ui/style-nonce";

/**
 * Menus on Radix DropdownMenu: arrow keys, typeahead, Escape and focus back on the trigger come
 * with it. A dialog opened from an item gets focus back to the trigger when it closes.
 */
export const Menu = RadixMenu.Root;
export const MenuTrigger = RadixMenu.Trigger;
export const MenuGroup = RadixMenu.Group;

export function MenuContent({ className, align = "end", sideOffset = 6, ...props }: ComponentProps<typeof RadixMenu.Content>) {
  return (
    <RadixMenu.Portal>
      <RadixMenu.Content
        align={align}
        sideOffset={sideOffset}
        collisionPadding={8}
        className={cn("z-50 min-w-44 rounded-lg border border-border bg-surface p-1 text-sm text-fg shadow-lg focus:outline-none", className)}
        {...props}
      />
    </RadixMenu.Portal>
  );
}

export function MenuItem({ className, tone = "default", ...props }: ComponentProps<typeof RadixMenu.Item> & { tone?: "default" | "danger" }) {
  return (
    <RadixMenu.Item
      className={cn(
        "flex cursor-default items-center gap-2 rounded-md px-2.5 py-1.5 outline-none select-none data-disabled:opacity-50",
        tone === "danger" ? "text-danger data-highlighted:bg-danger/10" : "data-highlighted:bg-surface-2",
        className,
      )}
      {...props}
    />
  );
}

export function MenuLabel({ className, ...props }: ComponentProps<typeof RadixMenu.Label>) {
  return <RadixMenu.Label className={cn("px-2.5 py-1.5 text-xs text-fg-subtle", className)} {...props} />;
}

export function MenuSeparator({ className, ...props }: ComponentProps<typeof RadixMenu.Separator>) {
  return <RadixMenu.Separator className={cn("my-1 h-px bg-border", className)} {...props} />;
}
