/** @type {import("next").NextConfig} */
const nextConfig = {
  // PGlite and the wasm schema engine load their .wasm/.data files from node_modules at run time;
  // bundling them breaks those paths (server actions fail with "path … Received an instance of URL").
  // prom-client: the metrics live on one global the custom server creates (lib/ops/metrics.ts).
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/schema-engine-wasm", "@prisma/adapter-pg", "pg", "prom-client"],
  poweredByHeader: false,
  reactStrictMode: true,
  // `CONSOLE_BROWSER_SOURCE_MAPS=1 npm run build`: source maps for the browser chunks, so `npm run bench:bundle`
  // can name the packages and modules a page loads. Off by default: a deployment serves no maps.
  productionBrowserSourceMaps: process.env.CONSOLE_BROWSER_SOURCE_MAPS === "1",
  experimental: {
    // Fewer, larger chunks above the framework: each chunk is compressed on its own, so a page's
    // 6 small console chunks sent as 1–2 compress about 4 KB (brotli) smaller. The framework's
    // own chunks (React DOM, Next's router) are above this size and stay shared by every page.
    turbopackChunking: { minChunkSize: 120_000 },
  },
};

export default nextConfig;
