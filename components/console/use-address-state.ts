"use client";

import { useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { patchedSearch, readAddress, type AddressParams, type AddressPatch, type AddressState } from "@/lib/queries/address-state";

export type AddressHistory = "push" | "replace";

/**
 * A list's state read from the address, and a setter that writes it back without a server round trip.
 * Next keeps `useSearchParams` in step with the browser's own history calls, and Back/Forward restore
 * them, so a filter, a search or a page is a history entry that reload and shared links show again.
 * Each write starts from the address as it is now, so two writes in one event both land.
 *
 * Next brings `useSearchParams` up to date in a transition, a render or more after the write; until
 * then the state is the address just written, so a checkbox or a select shows its new value at once
 * instead of springing back for a moment (and a click that lands in that moment is not lost).
 */
export function useAddressState<P extends AddressParams>(
  params: P,
  defaultHistory: AddressHistory = "push",
): [AddressState<P>, (patch: AddressPatch<P>, history?: AddressHistory) => void] {
  const searchParams = useSearchParams();
  const shown = searchParams.toString();
  // The address written last, and what useSearchParams said then: once it says anything else, it has caught up.
  const [written, setWritten] = useState<{ search: string; over: string } | null>(null);
  // Forgotten once it has caught up, so that Back to the address the write was made over shows that address.
  if (written !== null && written.over !== shown) setWritten(null);
  const current = written !== null && written.over === shown ? written.search : shown;
  const state = useMemo(() => readAddress(params, new URLSearchParams(current)), [params, current]);
  function set(patch: AddressPatch<P>, history: AddressHistory = defaultHistory) {
    const { pathname, search, hash } = window.location;
    const next = patchedSearch(params, search, patch);
    // Compared in one spelling (URLSearchParams writes a space as "+"), so an unchanged address adds no history entry.
    if (next === patchedSearch(params, search, {})) return;
    const url = `${pathname}${next}${hash}`;
    if (history === "push") window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
    setWritten({ search: next.slice(1), over: shown });
  }
  return [state, set];
}
