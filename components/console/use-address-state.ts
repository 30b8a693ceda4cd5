"use client";

import { useSearchParams } from "next/navigation";
import { useEffect, useMemo, useSyncExternalStore } from "react";
import { patchedSearch, readAddress, type AddressParams, type AddressPatch, type AddressState } from "@/lib/queries/address-state";

export type AddressHistory = "push" | "replace";

// The address bar is the one source of a list's state in the browser. Next's useSearchParams is
// not: it follows a write or a Back a transition later, and a Back to an entry written before a
// reload could leave it (and the list) on the reloaded page while the bar showed the other.
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("popstate", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("popstate", listener);
  };
}

function addressSearch(): string {
  return window.location.search.replace(/^\?/, "");
}

function addressChanged(): void {
  for (const listener of listeners) listener();
}

/**
 * A list's state read from the address, and a setter that writes it back without a server round trip.
 * Reload and shared links show the same list (the server renders from the same search parameters),
 * and every write is a history entry (or replaces one) that Back and Forward restore.
 * Each write starts from the address as it is now, so two writes in one event both land.
 */
export function useAddressState<P extends AddressParams>(
  params: P,
  defaultHistory: AddressHistory = "push",
): [AddressState<P>, (patch: AddressPatch<P>, history?: AddressHistory) => void] {
  // What the server rendered from, for the server render and hydration; Next's own navigations
  // (a link to this page with other parameters) change it, and the address is read again then.
  const rendered = useSearchParams().toString();
  const current = useSyncExternalStore(subscribe, addressSearch, () => rendered);
  useEffect(addressChanged, [rendered]);
  const state = useMemo(() => readAddress(params, new URLSearchParams(current)), [params, current]);
  function set(patch: AddressPatch<P>, history: AddressHistory = defaultHistory) {
    const { pathname, search, hash } = window.location;
    const next = patchedSearch(params, search, patch);
    // Compared in one spelling (URLSearchParams writes a space as "+"), so an unchanged address adds no history entry.
    if (next === patchedSearch(params, search, {})) return;
    const url = `${pathname}${next}${hash}`;
    if (history === "push") window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
    addressChanged();
  }
  return [state, set];
}
