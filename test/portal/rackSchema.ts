import fs from "node:fs";
import path from "node:path";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { stitchingDirectives } from "@graphql-tools/stitching-directives";

/** A second, local schema of a portal: rack positions of CMDB hosts, keyed by bkHostId. */
export const RACKS: Record<number, string> = { 4: "R1-U10", 5: "R1-U12", 404: "R1-U40" };

export const rackOf = (bkHostId: number) => (RACKS[bkHostId] ? { bkHostId, rackLocation: RACKS[bkHostId] } : null);

/** Reads a gateway operation (these run against a gateway's schema, not procgraph's: no codegen). */
export function gatewayOperation(name: string): string {
  return fs.readFileSync(path.join(__dirname, "operations", `${name}.graphql`), "utf8");
}

export function stitchingRackSchema(calls: unknown[]) {
  return makeExecutableSchema({
    typeDefs: `
      ${stitchingDirectives().allStitchingDirectivesTypeDefs}
      scalar SafeInt
      type CmdbHost @key(selectionSet: "{ bkHostId }") {
        bkHostId: SafeInt!
        rackLocation: String
      }
      type Query {
        rackHosts(rack: String!): [CmdbHost!]!
        _rackHostsByIds(bkHostIds: [SafeInt!]!): [CmdbHost]! @merge(keyField: "bkHostId", keyArg: "bkHostIds")
      }
    `,
    resolvers: {
      Query: {
        rackHosts: (_: unknown, { rack }: { rack: string }) =>
          Object.keys(RACKS)
            .map(Number)
            .filter((id) => RACKS[id].startsWith(`${rack}-`))
            .map(rackOf),
        _rackHostsByIds: (_: unknown, { bkHostIds }: { bkHostIds: number[] }) => {
          calls.push(bkHostIds);
          return bkHostIds.map(rackOf);
        },
      },
    },
  });
}
