/** @type {import("next").NextConfig} */
const nextConfig = {
  // PGlite and the wasm schema engine load their .wasm/.data files from node_modules at run time;
  // bundling them breaks those paths (server actions fail with "path … Received an instance of URL").
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/schema-engine-wasm", "@prisma/adapter-pg", "pg"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
