/**
 * A list's state kept in its address (`?q=…&kind=llm&page=<cursor>&n=2`), read alike by the server
 * page and in the browser. Each search parameter has one AddressParam: how its text reads (anything
 * missing or malformed reads as the default) and how a value is written back (the default is left
 * out, so a plain list has a plain URL). Written here rather than taken from a URL-state library:
 * the lists need five kinds of parameter, and the library cost every console page 6 KB of JavaScript.
 */
export interface AddressParam<T> {
  read(text: string | null): T;
  /** The text to write, or null to leave the parameter out (its default). */
  write(value: T): string | null;
}

export type AddressParams = Record<string, AddressParam<unknown>>;

/** What an address holds under these parameters. */
export type AddressState<P extends AddressParams> = { [K in keyof P]: P[K] extends AddressParam<infer T> ? T : never };

/** A change to the address: a value for each parameter changed, null to drop it back to its default. */
export type AddressPatch<P extends AddressParams> = { [K in keyof P]?: AddressState<P>[K] | null };

/** Free text; the empty string is the default. */
export const textParam: AddressParam<string> = {
  read: (text) => text ?? "",
  write: (value) => (value === "" ? null : value),
};

/** An opaque token such as a page cursor; absent is null. */
export const tokenParam: AddressParam<string | null> = {
  read: (text) => (text === null || text === "" ? null : text),
  write: (value) => value,
};

/** One of a fixed set of words; anything else reads as absent (null). */
export function oneOfParam<const Word extends string>(words: readonly Word[]): AddressParam<Word | null> {
  return {
    read: (text) => ((words as readonly (string | null)[]).includes(text) ? (text as Word) : null),
    write: (value) => value,
  };
}

/** A whole number of at least 1; `fallback` when absent or malformed. */
export function countParam(fallback: number): AddressParam<number> {
  return {
    read: (text) => (text !== null && /^[1-9][0-9]{0,8}$/.test(text) ? Number(text) : fallback),
    write: (value) => (value === fallback ? null : String(value)),
  };
}

/** On as `=1`, the spelling the console's links already use; off is absent. */
export const flagParam: AddressParam<boolean> = {
  read: (text) => text === "1",
  write: (value) => (value ? "1" : null),
};

/** Next's `searchParams` of a server page, or the browser's URLSearchParams. */
export type SearchSource = URLSearchParams | Readonly<Record<string, string | string[] | undefined>>;

function firstValue(source: SearchSource, name: string): string | null {
  if (source instanceof URLSearchParams) return source.get(name);
  const value = source[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** The state an address holds. */
export function readAddress<P extends AddressParams>(params: P, source: SearchSource): AddressState<P> {
  const state: Record<string, unknown> = {};
  for (const [name, param] of Object.entries(params)) state[name] = param.read(firstValue(source, name));
  return state as AddressState<P>;
}

/**
 * The search string (`?…`, or "" when nothing is left) after applying a patch to `current`.
 * Parameters the patch does not name, this list's or not, are kept as they are.
 */
export function patchedSearch<P extends AddressParams>(params: P, current: string, patch: AddressPatch<P>): string {
  const search = new URLSearchParams(current);
  const changes: Readonly<Record<string, unknown>> = patch;
  for (const [name, param] of Object.entries(params)) {
    const value = changes[name];
    if (value === undefined) continue;
    const text = value === null ? null : param.write(value);
    if (text === null) search.delete(name);
    else search.set(name, text);
  }
  const written = search.toString();
  return written === "" ? "" : `?${written}`;
}
