import "server-only";
import { notFound } from "next/navigation";
import { ConsoleError } from "@/lib/errors";
import { isResourceId } from "@/lib/ids";

/** A resource page's title: the id from the URL, or `fallback` when the segment cannot be an id. */
export function resourceTitle(id: string, fallback: string): string {
  return isResourceId(id) ? id : fallback;
}

/**
 * What a console page shows for the id in its URL, or the console's 404 page when the segment
 * cannot be an id or the service says no such resource exists. Other errors stay errors.
 */
export async function loadOrNotFound<T>(id: string, load: (id: string) => Promise<T>): Promise<T> {
  if (!isResourceId(id)) notFound();
  try {
    return await load(id);
  } catch (error) {
    if (error instanceof ConsoleError && error.type === "not_found_error") notFound();
    throw error;
  }
}
