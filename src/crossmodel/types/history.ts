import { Field, ObjectType, registerEnumType } from "type-graphql";
import { HealthCounts } from "./summary";

export enum HealthHistoryGroup {
  OVERALL = "OVERALL",
  BUSINESS = "BUSINESS",
  APP = "APP",
}

registerEnumType(HealthHistoryGroup, {
  name: "HealthHistoryGroup",
  description: "What one series of the health history counts.",
  valuesConfig: {
    OVERALL: { description: "Everything the caller may see (one series, key null)." },
    BUSINESS: { description: "Per CMDB business (key: bk_biz_id): its CMDB processes plus its linked apps' the caller may see." },
    APP: { description: "Per PaaS app (key: the app code)." },
  },
});

@ObjectType("HealthHistoryPoint", {
  description: "Processes by health at one time: the last sample of one step. Flat, so Grafana's GraphQL data sources read it as one row.",
})
export class HealthHistoryPoint extends HealthCounts {
  @Field(() => Date, { description: "The start of the step (a multiple of the step since the epoch), ISO-8601 UTC." })
  time!: Date;

  @Field(() => String, { nullable: true, description: "The business id (as text) or app code; null for OVERALL." })
  key!: string | null;
}
