"use client";

import { useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { patchedSearch, readAddress, type AddressParams, type AddressPatch, type AddressState } from "@/lib/queries/address-state";

export type AddressHistory = "push" | "replace";

/**
 * A list's state read from the address, and a setter that writes it back without a server round trip.
 * Next keeps `useSearchParams` in step with the browser's own history calls, and Back/Forward restore
 * them, so a filter, a search or a page is a history entry that reload and shared links show again.
 * Each write starts from the address as it is now, so two writes in one event both land.
 */
export function useAddressState<P extends AddressParams>(
  params: P,
  defaultHistory: AddressHistory = "push",
): [AddressState<P>, (patch: AddressPatch<P>, history?: AddressHistory) => void] {
  const searchParams = useSearchParams();
  const state = useMemo(() => readAddress(params, searchParams), [params, searchParams]);
  function set(patch: AddressPatch<P>, history: AddressHistory = defaultHistory) {
    const { pathname, search, hash } = window.location;
    const next = patchedSearch(params, search, patch);
    // Compared in one spelling (URLSearchParams writes a space as "+"), so an unchanged address adds no history entry.
    if (next === patchedSearch(params, search, {})) return;
    const url = `${pathname}${next}${hash}`;
    if (history === "push") window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  }
  return [state, set];
}
