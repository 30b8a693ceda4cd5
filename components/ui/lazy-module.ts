"use client";

import { useSyncExternalStore } from "react";

/**
 * A module kept out of a page's first load and fetched when first wanted (the stand-in buttons of
 * menus and pickers call `load` when pointed at, focused or pressed). `useLoaded` re-renders its
 * component once the module is there; it is null on the server and while hydrating, so what the
 * server rendered (the stand-in) is what hydrates.
 */
export function lazyModule<Module>(importModule: () => Promise<Module>): { load: () => Promise<Module>; useLoaded: () => Module | null } {
  let loaded: Module | null = null;
  let loading: Promise<Module> | null = null;
  const listeners = new Set<() => void>();

  const load = () => {
    loading ??= importModule().then((module) => {
      loaded = module;
      for (const listener of listeners) listener();
      return module;
    });
    return loading;
  };

  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  };

  const useLoaded = () =>
    useSyncExternalStore(
      subscribe,
      () => loaded,
      () => null,
    );

  return { load, useLoaded };
}
