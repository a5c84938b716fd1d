import { Field, Int, ObjectType } from "type-graphql";

@ObjectType("ProcgraphInfo", { description: "The running procgraph server." })
export class ProcgraphInfo {
  @Field({ description: "procgraph's version (package.json)." })
  version!: string;

  @Field({ description: "The MongoDB database procgraph reads." })
  databaseName!: string;

  @Field({ description: "The version the MongoDB-wire server reports (buildInfo)." })
  databaseServerVersion!: string;
}

@ObjectType("Viewer", { description: "The caller, and what its token lets it read." })
export class Viewer {
  @Field({ description: 'The token\'s name, or "anonymous".' })
  principal!: string;

  @Field({ description: "True when the request carried no token." })
  anonymous!: boolean;

  @Field(() => [Int], { nullable: true, description: "The CMDB businesses (bk_biz_id) in scope; null means all." })
  cmdbBusinesses!: number[] | null;

  @Field(() => [String], { nullable: true, description: "The PaaS app codes in scope; null means all." })
  paasApps!: string[] | null;
}
