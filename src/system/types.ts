import { Field, ObjectType } from "type-graphql";

@ObjectType("ProcgraphInfo", { description: "The running procgraph server." })
export class ProcgraphInfo {
  @Field({ description: "procgraph's version (package.json)." })
  version!: string;

  @Field({ description: "The MongoDB database procgraph reads." })
  databaseName!: string;

  @Field({ description: "The version the MongoDB-wire server reports (buildInfo)." })
  databaseServerVersion!: string;
}
