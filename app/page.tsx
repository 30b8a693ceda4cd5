export default function HomePage() {
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "4rem auto", lineHeight: 1.5 }}>
      <h1>Managed Agents credential console</h1>
      <p>
        The REST API for the official Anthropic SDK is served under <code>/v1</code>. Point the SDK at this
        server with the API key printed when the console first started:
      </p>
      <pre>{`const client = new Anthropic({ baseURL: "${"<this URL>"}", apiKey: "s0_…" });
await client.beta.vaults.list();`}</pre>
    </main>
  );
}
