/** @type {import("next").NextConfig} */
const nextConfig = {
  // PGlite and the wasm schema engine load their .wasm/.data files from node_modules at run time;
  // bundling them breaks those paths (server actions fail with "path … Received an instance of URL").
  // prom-client: the metrics live on one global the custom server creates (lib/ops/metrics.ts).
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/schema-engine-wasm", "@prisma/adapter-pg", "pg", "prom-client"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
