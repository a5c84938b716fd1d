import fs from "node:fs";
import path from "node:path";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { stitchingDirectives } from "@graphql-tools/stitching-directives";
import { parse } from "graphql";

/** A second, local schema of a portal: rack positions of CMDB hosts, keyed by bkHostId. */
export const RACKS: Record<number, string> = { 4: "R1-U10", 5: "R1-U12", 404: "R1-U40" };

export const rackOf = (bkHostId: number) => (RACKS[bkHostId] ? { bkHostId, rackLocation: RACKS[bkHostId] } : null);

const hostsOfRack = (rack: string) =>
  Object.keys(RACKS)
    .map(Number)
    .filter((id) => RACKS[id].startsWith(`${rack}-`))
    .map(rackOf);

/** Reads a gateway operation (these run against a gateway's schema, not procgraph's: no codegen). */
export function gatewayOperation(name: string): string {
  return fs.readFileSync(path.join(__dirname, "..", "portal", "operations", `${name}.graphql`), "utf8");
}

/** The racks schema's types, with the vocabulary of stitching or of federation. */
const rackTypeDefs = (key: string, extraQueryFields = "") => `
  scalar SafeInt
  type CmdbHost ${key} {
    bkHostId: SafeInt!
    rackLocation: String
  }
  type Query {
    rackHosts(rack: String!): [CmdbHost!]!
    ${extraQueryFields}
  }
`;

const rackHosts = (_: unknown, { rack }: { rack: string }) => hostsOfRack(rack);

/** For stitching: its own merge point `_rackHostsByIds`, whose calls are recorded in `calls`. */
export function stitchingRackSchema(calls: unknown[]) {
  return makeExecutableSchema({
    typeDefs: `${stitchingDirectives().allStitchingDirectivesTypeDefs}
      ${rackTypeDefs('@key(selectionSet: "{ bkHostId }")', '_rackHostsByIds(bkHostIds: [SafeInt!]!): [CmdbHost]! @merge(keyField: "bkHostId", keyArg: "bkHostIds")')}`,
    resolvers: {
      Query: {
        rackHosts,
        _rackHostsByIds: (_: unknown, { bkHostIds }: { bkHostIds: number[] }) => {
          calls.push(bkHostIds);
          return bkHostIds.map(rackOf);
        },
      },
    },
  });
}

/** The same rack data as an Apollo Federation v2 subgraph that extends the entity CmdbHost. */
export function federatedRackSchema() {
  return buildSubgraphSchema({
    typeDefs: parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
      ${rackTypeDefs('@key(fields: "bkHostId")')}`),
    resolvers: {
      Query: { rackHosts },
      CmdbHost: { __resolveReference: ({ bkHostId }: { bkHostId: number }) => rackOf(bkHostId) ?? { bkHostId, rackLocation: null } },
    },
  });
}

/** What both gateways answer (fixture hosts of owner "0"; 404 is known only to the racks schema). */
export const EXPECTED = {
  hostList: {
    cmdbHostList: {
      nodes: [
        { bkHostId: 4, bkHostName: "host-a", bkHostInnerip: ["192.168.15.22"], rackLocation: "R1-U10" },
        { bkHostId: 5, bkHostName: "host-b", bkHostInnerip: ["10.0.0.5", "10.0.0.6"], rackLocation: "R1-U12" },
      ],
    },
  },
  rackR1: {
    rackHosts: [
      { bkHostId: 4, rackLocation: "R1-U10", bkHostName: "host-a", bkHostInnerip: ["192.168.15.22"] },
      { bkHostId: 5, rackLocation: "R1-U12", bkHostName: "host-b", bkHostInnerip: ["10.0.0.5", "10.0.0.6"] },
      // Unknown to procgraph: its merge point answers null, the gateway keeps the rack's fields.
      { bkHostId: 404, rackLocation: "R1-U40", bkHostName: null, bkHostInnerip: null },
    ],
  },
};
