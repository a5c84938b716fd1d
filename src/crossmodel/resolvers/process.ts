import type { Document } from "mongodb";
import { GraphQLSafeInt } from "graphql-scalars";
import { Ctx, FieldResolver, Resolver, Root, type ClassType } from "type-graphql";
import { CmdbProcess } from "../../cmdb/types/process";
import type { RequestContext } from "../../graphql/context";
import { ProcessHealth, ProcessSource } from "../../graphql/process";
import { MongoFields } from "../../graphql/projection";
import { PaasProcess } from "../../paas/types/process";
import { cmdbProcessAdapter, paasProcessAdapter, type HealthValue, type ProcessAdapter } from "../providers/processes";

/** The Process interface's fields on one model's process type, answered by its adapter. */
function processInterfaceResolver(type: ClassType, adapter: ProcessAdapter) {
  @Resolver(() => type)
  class ProcessInterfaceResolver {
    @FieldResolver(() => String)
    @MongoFields(adapter.fields.name)
    name(@Root() process: Document): string {
      return adapter.name(process);
    }

    @FieldResolver(() => ProcessSource)
    source(): ProcessSource {
      return adapter.source;
    }

    @FieldResolver(() => [String])
    @MongoFields(adapter.fields.hostIps)
    hostIps(@Root() process: Document, @Ctx() ctx: RequestContext): Promise<string[]> {
      return adapter.hostIps(ctx, process);
    }

    @FieldResolver(() => GraphQLSafeInt, { nullable: true })
    @MongoFields(adapter.fields.cmdbBusinessId)
    cmdbBusinessId(@Root() process: Document, @Ctx() ctx: RequestContext): Promise<number | null> {
      return adapter.cmdbBusinessId(ctx, process);
    }

    @FieldResolver(() => String, { nullable: true })
    @MongoFields(adapter.fields.paasAppCode)
    paasAppCode(@Root() process: Document): string | null {
      return adapter.paasAppCode(process);
    }

    @FieldResolver(() => String, { nullable: true })
    @MongoFields(adapter.fields.environmentKey)
    environmentKey(@Root() process: Document): string | null {
      return adapter.environmentKey(process);
    }

    @FieldResolver(() => ProcessHealth)
    @MongoFields(adapter.fields.health)
    health(@Root() process: Document): HealthValue {
      return adapter.health(process);
    }
  }
  return ProcessInterfaceResolver;
}

export const CmdbProcessInterfaceResolver = processInterfaceResolver(CmdbProcess, cmdbProcessAdapter);
export const PaasProcessInterfaceResolver = processInterfaceResolver(PaasProcess, paasProcessAdapter);
