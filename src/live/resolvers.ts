import type { GraphQLResolveInfo } from "graphql";
import { GraphQLSafeInt } from "graphql-scalars";
import { Arg, Ctx, Field, FieldResolver, ID, Info, ObjectType, registerEnumType, Resolver, Root, Subscription, type SubscribeResolverData } from "type-graphql";
import { CmdbHost } from "../cmdb/types/host";
import { CmdbProcess } from "../cmdb/types/process";
import type { RequestContext } from "../graphql/context";
import { Process, ProcessSource } from "../graphql/process";
import type { TypedDocument } from "../graphql/node";
import { CrossModelManager } from "../crossmodel/providers/manager";
import { ProcessFilter } from "../crossmodel/types/search";
import { DashboardSummary } from "../crossmodel/types/summary";
import { encodeGlobalId } from "../graphql/globalId";
import { ChangeType, hostTouch, inScope, liveCursor, matchesCheaply, matchesFacts, needsFacts, processGlobalId, processTouch, tokenOfCursor, touchesSummary } from "./events";
import type { LivePayload } from "./subscriber";
import { liveError, LiveCode } from "./subscriber";
import type { SubscriptionContext } from "./service";
import { CmdbStore } from "../cmdb/providers/store";
import { badUserInput, notFound } from "../graphql/errors";
import { PaasNotFoundError, PaasValidationError } from "../paas/providers/errors";
import { PaasManager } from "../paas/providers/manager";
import { PaasEnvironmentName } from "../paas/types/enums";
import { PaasInstance } from "../paas/types/instance";
import { PaasProcess } from "../paas/types/process";
import { startPaasWatch, type WatchMessage } from "./paasWatch";

registerEnumType(ChangeType, { name: "ChangeType", description: "What a write did to the entity of a live event." });

@ObjectType("ProcessEvent", { description: "A process of either model was added, modified (its own fields, its host, its instances) or deleted." })
export class ProcessEvent {
  @Field(() => ChangeType)
  type!: ChangeType;

  @Field({ description: "Pass as `after` to resume after this event (opaque)." })
  cursor!: string;

  @Field(() => ID, { description: "The process's global Node id (also for DELETED)." })
  id!: string;

  @Field(() => Process, { nullable: true, description: "The process as it is now, resolved like a query (null for DELETED, or once it is gone or out of scope)." })
  process!: TypedDocument | null;
}

@ObjectType("CmdbProcessEvent", { description: "A CMDB process (or its process–host relation) changed." })
export class CmdbProcessEvent {
  @Field(() => ChangeType)
  type!: ChangeType;

  @Field()
  cursor!: string;

  @Field(() => ID)
  id!: string;

  @Field(() => GraphQLSafeInt)
  bkProcessId!: number;

  @Field(() => GraphQLSafeInt, { nullable: true })
  bkBizId!: number | null;

  @Field(() => CmdbProcess, { nullable: true, description: "Null for DELETED." })
  process!: TypedDocument | null;
}

@ObjectType("CmdbHostEvent", { description: "A CMDB host changed." })
export class CmdbHostEvent {
  @Field(() => ChangeType)
  type!: ChangeType;

  @Field()
  cursor!: string;

  @Field(() => ID)
  id!: string;

  @Field(() => GraphQLSafeInt)
  bkHostId!: number;

  @Field(() => CmdbHost, { nullable: true, description: "Null for DELETED." })
  host!: TypedDocument | null;
}

export enum PaasObjectType {
  PROCESS = "process",
  INSTANCE = "instance",
}
registerEnumType(PaasObjectType, { name: "PaasObjectType", description: "What a PaaS watch event is about." });

@ObjectType("PaasProcessEvent", { description: "A process or an instance of one PaaS module environment changed: the GraphQL twin of `…/processes/watch/` (docs/paas.md)." })
export class PaasProcessEvent {
  @Field(() => ChangeType)
  type!: ChangeType;

  @Field(() => PaasObjectType)
  objectType!: PaasObjectType;

  @Field({ description: "The counter value this write produced (the list's `resourceVersion` of its kind); resume with it." })
  resourceVersion!: string;

  @Field({ description: "The stored key of the process or instance." })
  key!: string;

  @Field(() => PaasProcess, { nullable: true, description: "For a process event, the process now (null for DELETED)." })
  process!: TypedDocument | null;

  @Field(() => PaasInstance, { nullable: true, description: "For an instance event, the instance now (null for DELETED)." })
  instance!: TypedDocument | null;
}

const live = (ctx: RequestContext): SubscriptionContext => {
  const context = ctx as SubscriptionContext;
  if (!context.live) throw liveError(LiveCode.unavailable, "subscriptions are served over WebSocket (graphql-transport-ws) at /graphql and SSE at /graphql/stream");
  return context;
};

/** The event a payload carries, or the error that ends the subscription. */
function unwrap<T>(payload: LivePayload<T>): T {
  if (payload.kind === "end") throw payload.error;
  return payload.event;
}

async function loadOne(ctx: RequestContext, id: string, info: GraphQLResolveInfo): Promise<TypedDocument | null> {
  const [node] = await ctx.nodes.load(ctx, [id], info, "id");
  return node;
}

interface ProcessEventValue {
  type: ChangeType;
  cursor: string;
  id: string;
  key: number | string;
  bizId?: number;
}

@Resolver(() => ProcessEvent)
export class ProcessEventResolver {
  @Subscription(() => ProcessEvent, {
    description: "Live process changes across both models, filtered like `processes(filter:)` and by the caller's scope; `after` replays what was missed (CURSOR_EXPIRED when older than the retained history).",
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { filter?: ProcessFilter | null; after?: string | null }, RequestContext>) => {
      const ctx = live(context);
      const filter = args.filter ?? {};
      const facts = needsFacts(filter);
      return ctx.live.subscribe<ProcessEventValue>(ctx, "processEvents", {
        afterToken: tokenOfCursor(args.after),
        share: true,
        accept: (change) => {
          const touch = processTouch(change);
          return touch !== undefined && inScope(touch, ctx.scope) && matchesCheaply(touch, filter);
        },
        interpret: async (change) => {
          const touch = processTouch(change)!;
          if (facts && !matchesFacts(touch, filter, await ctx.live.processFacts(change, touch), ctx.scope)) return undefined;
          return { type: touch.type, cursor: liveCursor(change), id: processGlobalId(touch), key: touch.key };
        },
      });
    },
  })
  processEvents(
    @Root() payload: LivePayload<ProcessEventValue>,
    @Arg("filter", () => ProcessFilter, { nullable: true }) _filter: ProcessFilter | null,
    @Arg("after", () => String, { nullable: true, description: "The cursor of the last event received." }) _after: string | null,
  ): ProcessEventValue {
    return unwrap(payload);
  }

  @Subscription(() => CmdbProcessEvent, {
    description: "Live CMDB process changes (the process or its process–host relation) of the caller's businesses, or of one.",
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { bkBizId?: number | null; after?: string | null }, RequestContext>) => {
      const ctx = live(context);
      return ctx.live.subscribe<ProcessEventValue>(ctx, "cmdbProcessEvents", {
        afterToken: tokenOfCursor(args.after),
        share: true,
        accept: (change) => {
          const touch = processTouch(change);
          return touch?.source === ProcessSource.CMDB && inScope(touch, ctx.scope) && (args.bkBizId == null || touch.bizId === args.bkBizId);
        },
        interpret: (change) => {
          const touch = processTouch(change)!;
          return { type: touch.type, cursor: liveCursor(change), id: processGlobalId(touch), key: touch.key, bizId: touch.bizId };
        },
      });
    },
  })
  cmdbProcessEvents(
    @Root() payload: LivePayload<ProcessEventValue>,
    @Arg("bkBizId", () => GraphQLSafeInt, { nullable: true }) _bkBizId: number | null,
    @Arg("after", () => String, { nullable: true }) _after: string | null,
  ): CmdbProcessEvent {
    const event = unwrap(payload);
    return { ...event, bkProcessId: event.key as number, bkBizId: event.bizId ?? null, process: null };
  }

  @Subscription(() => CmdbHostEvent, {
    description: "Live CMDB host changes the caller may see (a restricted scope sees hosts its businesses run on, and no host deletions).",
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { bkHostId?: number | null; after?: string | null }, RequestContext>) => {
      const ctx = live(context);
      const restricted = ctx.scope.cmdbBusinesses !== "all";
      return ctx.live.subscribe<ProcessEventValue>(ctx, "cmdbHostEvents", {
        afterToken: tokenOfCursor(args.after),
        share: true,
        accept: (change) => {
          const touch = hostTouch(change);
          if (!touch || (args.bkHostId != null && touch.key !== args.bkHostId)) return false;
          return !ctx.scope.noCmdbBusinesses && !(restricted && touch.type === ChangeType.DELETED);
        },
        interpret: async (change) => {
          const touch = hostTouch(change)!;
          const id = encodeGlobalId("CmdbHost", touch.key);
          // A restricted scope sees a host only where one of its businesses runs a service instance.
          if (restricted) {
            if (!(await CmdbStore.of(ctx).hostRunsInstanceInScope(touch.key))) return undefined;
          }
          return { type: touch.type, cursor: liveCursor(change), id, key: touch.key };
        },
      });
    },
  })
  cmdbHostEvents(
    @Root() payload: LivePayload<ProcessEventValue>,
    @Arg("bkHostId", () => GraphQLSafeInt, { nullable: true }) _bkHostId: number | null,
    @Arg("after", () => String, { nullable: true }) _after: string | null,
  ): CmdbHostEvent {
    const event = unwrap(payload);
    return { type: event.type, cursor: event.cursor, id: event.id, bkHostId: event.key as number, host: null };
  }

  @Subscription(() => PaasProcessEvent, {
    description:
      "Process and instance changes of one PaaS module environment after the given resource versions (as `paasProcessList` returned them; omitted: from now), " +
      "like bk-paas's processes watch: list, then subscribe with the list's versions and nothing is lost. Too old a version: CURSOR_EXPIRED.",
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, PaasEventsArgs, RequestContext>) => {
      const ctx = live(context);
      let list;
      try {
        list = await PaasManager.of(ctx).processList({ appCode: args.appCode, moduleName: args.moduleName ?? null, environment: args.environment, onlyLatestVersion: false });
      } catch (error) {
        if (error instanceof PaasNotFoundError) throw notFound(error.message);
        if (error instanceof PaasValidationError) throw badUserInput(error.message, { fields: error.fields });
        throw error;
      }
      const version = (value: string | null | undefined, current: string, name: string) => {
        if (value == null) return BigInt(current);
        if (!/^[0-9]{1,18}$/.test(value)) throw badUserInput(`${name}: a resourceVersion from paasProcessList`, { argumentName: name });
        return BigInt(value);
      };
      const from = {
        process: version(args.processResourceVersion, list.processResourceVersion, "processResourceVersion"),
        instance: version(args.instanceResourceVersion, list.instanceResourceVersion, "instanceResourceVersion"),
      };
      return startPaasWatch(ctx, ctx.live, list, from, ctx.config.live.watchHistorySeconds);
    },
  })
  paasProcessEvents(
    @Root() payload: LivePayload<WatchMessage>,
    @Arg("appCode") _appCode: string,
    @Arg("moduleName", () => String, { nullable: true, description: "Omitted or null: the app's default module." }) _moduleName: string | null,
    @Arg("environment", () => PaasEnvironmentName) _environment: PaasEnvironmentName,
    @Arg("processResourceVersion", () => String, { nullable: true }) _processResourceVersion: string | null,
    @Arg("instanceResourceVersion", () => String, { nullable: true }) _instanceResourceVersion: string | null,
  ): PaasProcessEvent {
    const message = unwrap(payload);
    if (message.type === "ERROR") throw liveError(LiveCode.expired, String(message.object.error_message));
    return {
      type: message.type,
      objectType: message.object_type as PaasObjectType,
      resourceVersion: message.resource_version ?? "",
      key: message.key ?? "",
      process: null,
      instance: null,
    };
  }

  @Subscription(() => DashboardSummary, {
    description: "`dashboardSummary` now, then again whenever a write in the caller's scope changes it, at most once a second.",
    subscribe: async ({ context }: SubscribeResolverData<unknown, Record<string, never>, RequestContext>) => {
      const ctx = live(context);
      let last = "";
      let lastAt = 0;
      const subscriber = await ctx.live.subscribe<DashboardSummary>(ctx, "dashboardSummaryUpdates", {
        accept: (change) => touchesSummary(change, ctx.scope),
        coalesce: true,
        interpret: async () => {
          const wait = lastAt + 1_000 - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          subscriber.drain();
          ctx.renew();
          const summary = await CrossModelManager.of(ctx).dashboardSummary();
          const text = JSON.stringify(summary);
          if (text === last) return undefined;
          last = text;
          lastAt = Date.now();
          return summary;
        },
        initial: async () => {
          const summary = await CrossModelManager.of(ctx).dashboardSummary();
          last = JSON.stringify(summary);
          lastAt = Date.now();
          return summary;
        },
      });
      return subscriber;
    },
  })
  dashboardSummaryUpdates(@Root() payload: LivePayload<DashboardSummary>): DashboardSummary {
    return unwrap(payload);
  }
}

interface PaasEventsArgs {
  appCode: string;
  moduleName?: string | null;
  environment: string;
  processResourceVersion?: string | null;
  instanceResourceVersion?: string | null;
}

@Resolver(() => PaasProcessEvent)
export class PaasProcessEventFieldResolver {
  @FieldResolver(() => PaasProcess, { nullable: true })
  process(@Root() event: PaasProcessEvent, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<TypedDocument | null> | null {
    if (event.objectType !== PaasObjectType.PROCESS || event.type === ChangeType.DELETED) return null;
    return loadOne(ctx, encodeGlobalId("PaasProcess", event.key), info);
  }

  @FieldResolver(() => PaasInstance, { nullable: true })
  instance(@Root() event: PaasProcessEvent, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<TypedDocument | null> | null {
    if (event.objectType !== PaasObjectType.INSTANCE || event.type === ChangeType.DELETED) return null;
    return loadOne(ctx, encodeGlobalId("PaasInstance", event.key), info);
  }
}

/** The entity of an event resolves through the per-event loaders, projected to the selection, in the caller's scope. */
@Resolver(() => ProcessEvent)
export class ProcessEventFieldResolver {
  @FieldResolver(() => Process, { nullable: true })
  process(@Root() event: ProcessEventValue, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<TypedDocument | null> | null {
    return event.type === ChangeType.DELETED ? null : loadOne(ctx, event.id, info);
  }
}

@Resolver(() => CmdbProcessEvent)
export class CmdbProcessEventFieldResolver {
  @FieldResolver(() => CmdbProcess, { nullable: true })
  process(@Root() event: CmdbProcessEvent, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<TypedDocument | null> | null {
    return event.type === ChangeType.DELETED ? null : loadOne(ctx, event.id, info);
  }
}

@Resolver(() => CmdbHostEvent)
export class CmdbHostEventFieldResolver {
  @FieldResolver(() => CmdbHost, { nullable: true })
  host(@Root() event: CmdbHostEvent, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<TypedDocument | null> | null {
    return event.type === ChangeType.DELETED ? null : loadOne(ctx, event.id, info);
  }
}
