"use client";

import { lazy, Suspense, useSyncExternalStore, type ComponentType } from "react";

/**
 * Runs `preload` once the page has loaded and the browser is idle: what a page keeps out of its
 * first load is fetched right after it, so the click that needs it does not wait on the network.
 */
export function preloadWhenIdle(preload: () => Promise<unknown>): void {
  if (typeof window === "undefined") return;
  const run = () => void preload().catch(() => undefined);
  const whenIdle = () => (typeof window.requestIdleCallback === "function" ? window.requestIdleCallback(run, { timeout: 3_000 }) : window.setTimeout(run, 200));
  if (document.readyState === "complete") whenIdle();
  else window.addEventListener("load", whenIdle, { once: true });
}

const noSubscription = () => () => undefined;

/**
 * A dialog (or anything shown only after an interaction, or only in the browser) kept out of its
 * page's first load: its module is fetched when the browser is idle after the page loaded, when
 * `preload` is called (a pointer reaching its button), or at once if it is rendered before that.
 * It renders nothing on the server and while hydrating (as next/dynamic's `ssr: false`), so a
 * dialog open on arrival appears once the page is interactive. Render it only while it is open.
 */
export function lazyDialog<Props extends object>(load: () => Promise<ComponentType<Props>>): ComponentType<Props> & { preload: () => Promise<unknown> } {
  let loading: Promise<ComponentType<Props>> | null = null;
  const preload = () => (loading ??= load());
  const Lazy = lazy(async () => ({ default: await preload() }));
  preloadWhenIdle(preload);
  function LazyDialog(props: Props) {
    const hydrated = useSyncExternalStore(
      noSubscription,
      () => true,
      () => false,
    );
    if (!hydrated) return null;
    return (
      <Suspense fallback={null}>
        <Lazy {...props} />
      </Suspense>
    );
  }
  return Object.assign(LazyDialog, { preload });
}
