/**
 * Loads graphql-js with its production type checks, whatever NODE_ENV says; imported first by the
 * entry point (src/index.ts), before anything else loads graphql-js.
 *
 * graphql-js picks its internal `instanceOf` once, when it is first loaded: a plain `instanceof`
 * under NODE_ENV=production, otherwise one that, each time the answer is no, also compares class
 * names to report a second copy of graphql-js in the process. Execution asks such questions of
 * every field it completes ("is this type a list? an object type?"), so on a 500-row page the
 * development check costs about a tenth of the server's CPU (README, "Performance"). procgraph installs
 * one copy of graphql-js (test/foundation/graphql-load.test.ts finds no other under node_modules),
 * so the check can never fire. NODE_ENV itself is left as it was:
 * procgraph's own production settings read it (src/config.ts), and so do Apollo and Express.
 */
const nodeEnv = process.env.NODE_ENV;
process.env.NODE_ENV = "production";
try {
  require("graphql/jsutils/instanceOf");
} finally {
  if (nodeEnv === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = nodeEnv;
}

export {};
