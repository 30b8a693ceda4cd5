/**
 * Imported first by every entry point that opens the database or serves requests (scripts/start.ts,
 * the key rotation, migrations, the benchmark's processes), before anything loads Prisma or Next.
 *
 * No debug setting may make the console print a secret (SPEC §9), and the libraries' `DEBUG`
 * namespaces do: Next's router prints every request's headers (`x-api-key`, session cookies),
 * Prisma prints its engine's configuration (the PostgreSQL pool's connection string with its
 * password; on the embedded database PGlite's whole WebAssembly heap, which makes JSON.stringify
 * throw and the console fail to start). So `DEBUG` is switched off for this process and its
 * children, with one line saying so. Node's own `NODE_DEBUG` stays: the console keeps credentials
 * out of what it prints (see lib/boundary/upstream-request.ts).
 *
 * Both kinds of debug module decide at load which namespaces are on (`debug` reads
 * `process.env.DEBUG`, Prisma `globalThis.DEBUG`), hence a side-effect module that runs first.
 */
const holder = globalThis as { DEBUG?: string };
const requested = process.env.DEBUG || holder.DEBUG;
delete process.env.DEBUG;
holder.DEBUG = "";
if (requested) {
  console.warn("DEBUG is set but ignored: the libraries' debug output prints request headers and database settings, which hold secrets.");
}
