/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** What a write did to the entity of a live event. */
export type ChangeType =
  | 'ADDED'
  | 'DELETED'
  | 'MODIFIED';

/** Conditions of the unified process search; all given ones must hold. */
export type ProcessFilter = {
  /** CMDB processes of this business and PaaS processes of the apps linked to it. */
  cmdbBusinessId?: number | null | undefined;
  /** UNKNOWN selects the CMDB processes; the others PaaS processes. */
  health?: ProcessHealthStatus | null | undefined;
  /** Runs on this IP (IPv4, or IPv6 as stored): CMDB, its host's inner IP; PaaS, an instance's host IP. */
  hostIp?: string | null | undefined;
  /** The whole name, case-insensitively, with `*` for any run of characters and `?` for one (every other character is literal). At most 100 characters. */
  namePattern?: string | null | undefined;
  /** PaaS processes of this app (CMDB processes have no app). */
  paasAppCode?: string | null | undefined;
  source?: ProcessSource | null | undefined;
};

/** PaaS: from desired vs available replicas (HEALTHY, UNHEALTHY, STOPPED). CMDB: always UNKNOWN (no live state). */
export type ProcessHealthStatus =
  | 'HEALTHY'
  | 'STOPPED'
  | 'UNHEALTHY'
  | 'UNKNOWN';

/** The search's order: this field, then source (CMDB, PAAS), then bk_process_id or key; DESC reverses all three. */
export type ProcessOrder = {
  direction?: SortDirection;
  field: ProcessOrderField;
};

/** NAME: byte order of the name. HEALTH: UNHEALTHY, STOPPED, UNKNOWN, HEALTHY (worst first). SOURCE: CMDB, PAAS. DESIRED, AVAILABLE: replicas (CMDB: desired is proc_num, available none; none sorts first). */
export type ProcessOrderField =
  | 'AVAILABLE'
  | 'DESIRED'
  | 'HEALTH'
  | 'NAME'
  | 'SOURCE';

/** The model a process comes from. */
export type ProcessSource =
  | 'CMDB'
  | 'PAAS';

export type SortDirection =
  | 'ASC'
  | 'DESC';

export type DashboardHealthFragment = { total: number, healthy: number, unhealthy: number, stopped: number, unknown: number };

export type DashboardCountsFragment = { cmdbProcessCount: number, paasProcessCount: number, paasInstanceCount: number, health: { total: number, healthy: number, unhealthy: number, stopped: number, unknown: number }, instancesByState: Array<{ key: string | null, count: number }>, byApp: Array<{ key: string, health: { total: number, healthy: number, unhealthy: number, stopped: number, unknown: number } }>, byBusiness: Array<{ key: string, health: { total: number, healthy: number, unhealthy: number, stopped: number, unknown: number } }> };

export type DashboardOverviewQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardOverviewQuery = { viewer: { principal: string, anonymous: boolean, cmdbBusinesses: Array<number> | null, paasApps: Array<string> | null }, procgraph: { version: string }, dashboardSummary: { cmdbProcessCount: number, paasProcessCount: number, paasInstanceCount: number, health: { total: number, healthy: number, unhealthy: number, stopped: number, unknown: number }, instancesByState: Array<{ key: string | null, count: number }>, byApp: Array<{ key: string, health: { total: number, healthy: number, unhealthy: number, stopped: number, unknown: number } }>, byBusiness: Array<{ key: string, health: { total: number, healthy: number, unhealthy: number, stopped: number, unknown: number } }> }, cmdbBusinessList: { nodes: Array<{ bkBizId: number, bkBizName: string | null }> } };

export type DashboardSummaryOnlyQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardSummaryOnlyQuery = { dashboardSummary: { cmdbProcessCount: number, paasProcessCount: number, paasInstanceCount: number, health: { total: number, healthy: number, unhealthy: number, stopped: number, unknown: number }, instancesByState: Array<{ key: string | null, count: number }>, byApp: Array<{ key: string, health: { total: number, healthy: number, unhealthy: number, stopped: number, unknown: number } }>, byBusiness: Array<{ key: string, health: { total: number, healthy: number, unhealthy: number, stopped: number, unknown: number } }> } };

export type DashboardProcessesQueryVariables = Exact<{
  filter?: ProcessFilter | null | undefined;
  first: number;
  after?: string | null | undefined;
  orderBy?: ProcessOrder | null | undefined;
}>;


export type DashboardProcessesQuery = { processes: { totalCount: number, pageInfo: { endCursor: string | null, hasNextPage: boolean }, nodes: Array<
      | { id: string, name: string, source: ProcessSource, hostIps: Array<string>, cmdbBusinessId: number | null, paasAppCode: string | null, environmentKey: string | null, health: { status: ProcessHealthStatus, desired: number | null, available: number | null } }
      | { id: string, name: string, source: ProcessSource, hostIps: Array<string>, cmdbBusinessId: number | null, paasAppCode: string | null, environmentKey: string | null, health: { status: ProcessHealthStatus, desired: number | null, available: number | null } }
    > } };

export type DashboardHostsQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type DashboardHostsQuery = { cmdbHostList: { totalCount: number, pageInfo: { endCursor: string | null, hasNextPage: boolean }, nodes: Array<{ id: string, bkHostId: number, bkHostName: string | null, bkHostInnerip: Array<string> | null, processes: Array<{ id: string }>, paasInstances: Array<{ id: string, name: string, state: string, ready: boolean, environment: { key: string } }> }> } };

export type DashboardHistoryQueryVariables = Exact<{
  from?: string | number | null | undefined;
  to?: string | number | null | undefined;
  step?: number | null | undefined;
}>;


export type DashboardHistoryQuery = { healthHistory: Array<{ time: string, total: number, healthy: number, unhealthy: number, stopped: number, unknown: number }> };

export type DashboardSummaryUpdatesSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type DashboardSummaryUpdatesSubscription = { dashboardSummaryUpdates: { cmdbProcessCount: number, paasProcessCount: number, paasInstanceCount: number, health: { total: number, healthy: number, unhealthy: number, stopped: number, unknown: number }, instancesByState: Array<{ key: string | null, count: number }>, byApp: Array<{ key: string, health: { total: number, healthy: number, unhealthy: number, stopped: number, unknown: number } }>, byBusiness: Array<{ key: string, health: { total: number, healthy: number, unhealthy: number, stopped: number, unknown: number } }> } };

export type DashboardProcessEventsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type DashboardProcessEventsSubscription = { processEvents: { type: ChangeType, id: string } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const DashboardHealthFragmentDoc = new TypedDocumentString(`
    fragment DashboardHealth on HealthCounts {
  total
  healthy
  unhealthy
  stopped
  unknown
}
    `, {"fragmentName":"DashboardHealth"}) as unknown as TypedDocumentString<DashboardHealthFragment, unknown>;
export const DashboardCountsFragmentDoc = new TypedDocumentString(`
    fragment DashboardCounts on DashboardSummary {
  health {
    ...DashboardHealth
  }
  cmdbProcessCount
  paasProcessCount
  paasInstanceCount
  instancesByState {
    key
    count
  }
  byApp {
    key
    health {
      ...DashboardHealth
    }
  }
  byBusiness {
    key
    health {
      ...DashboardHealth
    }
  }
}
    fragment DashboardHealth on HealthCounts {
  total
  healthy
  unhealthy
  stopped
  unknown
}`, {"fragmentName":"DashboardCounts"}) as unknown as TypedDocumentString<DashboardCountsFragment, unknown>;
export const DashboardOverviewDocument = new TypedDocumentString(`
    query DashboardOverview {
  viewer {
    principal
    anonymous
    cmdbBusinesses
    paasApps
  }
  procgraph {
    version
  }
  dashboardSummary {
    ...DashboardCounts
  }
  cmdbBusinessList(first: 200) {
    nodes {
      bkBizId
      bkBizName
    }
  }
}
    fragment DashboardHealth on HealthCounts {
  total
  healthy
  unhealthy
  stopped
  unknown
}
fragment DashboardCounts on DashboardSummary {
  health {
    ...DashboardHealth
  }
  cmdbProcessCount
  paasProcessCount
  paasInstanceCount
  instancesByState {
    key
    count
  }
  byApp {
    key
    health {
      ...DashboardHealth
    }
  }
  byBusiness {
    key
    health {
      ...DashboardHealth
    }
  }
}`) as unknown as TypedDocumentString<DashboardOverviewQuery, DashboardOverviewQueryVariables>;
export const DashboardSummaryOnlyDocument = new TypedDocumentString(`
    query DashboardSummaryOnly {
  dashboardSummary {
    ...DashboardCounts
  }
}
    fragment DashboardHealth on HealthCounts {
  total
  healthy
  unhealthy
  stopped
  unknown
}
fragment DashboardCounts on DashboardSummary {
  health {
    ...DashboardHealth
  }
  cmdbProcessCount
  paasProcessCount
  paasInstanceCount
  instancesByState {
    key
    count
  }
  byApp {
    key
    health {
      ...DashboardHealth
    }
  }
  byBusiness {
    key
    health {
      ...DashboardHealth
    }
  }
}`) as unknown as TypedDocumentString<DashboardSummaryOnlyQuery, DashboardSummaryOnlyQueryVariables>;
export const DashboardProcessesDocument = new TypedDocumentString(`
    query DashboardProcesses($filter: ProcessFilter, $first: Int!, $after: String, $orderBy: ProcessOrder) {
  processes(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    totalCount
    pageInfo {
      endCursor
      hasNextPage
    }
    nodes {
      id
      name
      source
      hostIps
      cmdbBusinessId
      paasAppCode
      environmentKey
      health {
        status
        desired
        available
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardProcessesQuery, DashboardProcessesQueryVariables>;
export const DashboardHostsDocument = new TypedDocumentString(`
    query DashboardHosts($first: Int!, $after: String) {
  cmdbHostList(first: $first, after: $after) {
    totalCount
    pageInfo {
      endCursor
      hasNextPage
    }
    nodes {
      id
      bkHostId
      bkHostName
      bkHostInnerip
      processes {
        id
      }
      paasInstances {
        id
        name
        state
        ready
        environment {
          key
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardHostsQuery, DashboardHostsQueryVariables>;
export const DashboardHistoryDocument = new TypedDocumentString(`
    query DashboardHistory($from: Instant, $to: Instant, $step: Int) {
  healthHistory(from: $from, to: $to, step: $step, groupBy: OVERALL) {
    time
    total
    healthy
    unhealthy
    stopped
    unknown
  }
}
    `) as unknown as TypedDocumentString<DashboardHistoryQuery, DashboardHistoryQueryVariables>;
export const DashboardSummaryUpdatesDocument = new TypedDocumentString(`
    subscription DashboardSummaryUpdates {
  dashboardSummaryUpdates {
    ...DashboardCounts
  }
}
    fragment DashboardHealth on HealthCounts {
  total
  healthy
  unhealthy
  stopped
  unknown
}
fragment DashboardCounts on DashboardSummary {
  health {
    ...DashboardHealth
  }
  cmdbProcessCount
  paasProcessCount
  paasInstanceCount
  instancesByState {
    key
    count
  }
  byApp {
    key
    health {
      ...DashboardHealth
    }
  }
  byBusiness {
    key
    health {
      ...DashboardHealth
    }
  }
}`) as unknown as TypedDocumentString<DashboardSummaryUpdatesSubscription, DashboardSummaryUpdatesSubscriptionVariables>;
export const DashboardProcessEventsDocument = new TypedDocumentString(`
    subscription DashboardProcessEvents {
  processEvents {
    type
    id
  }
}
    `) as unknown as TypedDocumentString<DashboardProcessEventsSubscription, DashboardProcessEventsSubscriptionVariables>;