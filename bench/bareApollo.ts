import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";

/**
 * The throughput baseline: Apollo Server 5 on Express 5 with no plugins and a one-field schema,
 * as a newcomer would write it.
 */
async function main(): Promise<void> {
  const apollo = new ApolloServer({ typeDefs: "type Query { ok: Boolean! }", resolvers: { Query: { ok: () => true } } });
  await apollo.start();
  const app = express();
  app.use("/graphql", express.json(), expressMiddleware(apollo));
  const server = http.createServer(app);
  server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`bare apollo ready at http://127.0.0.1:${port}/graphql\n`);
  });
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}

void main();
