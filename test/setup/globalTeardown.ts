export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __procgraphTestServer?: { stop(): Promise<void> } }).__procgraphTestServer;
  await server?.stop();
}
