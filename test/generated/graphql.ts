/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar.This scalar is serialized to a string in ISO 8601 format and parsed from a string in ISO 8601 format. */
  DateTimeISO: { input: string; output: string; }
};

/** A bk-paas application. */
export type PaasApp = {
  __typename?: 'PaasApp';
  /** Application code (unique, upstream's `AppIDField` rules). */
  code: Scalars['String']['output'];
  /** The default module (`is_default`). */
  defaultModule?: Maybe<PaasModule>;
  /** Main language, e.g. Python, Go. */
  language?: Maybe<Scalars['String']['output']>;
  /** One module by name; null when there is none. */
  module?: Maybe<PaasModule>;
  /** The app's modules, by name. */
  modules: Array<PaasModule>;
  /** Display name. */
  name: Scalars['String']['output'];
  region?: Maybe<Scalars['String']['output']>;
  type: PaasAppType;
};


/** A bk-paas application. */
export type PaasAppModuleArgs = {
  name: Scalars['String']['input'];
};

/** A page of applications in code order. */
export type PaasAppConnection = {
  __typename?: 'PaasAppConnection';
  edges: Array<PaasAppEdge>;
  nodes: Array<PaasApp>;
  pageInfo: PaasPageInfo;
  /** All apps that match the filter (one count query, only when selected). */
  totalCount: Scalars['Int']['output'];
};

export type PaasAppEdge = {
  __typename?: 'PaasAppEdge';
  cursor: Scalars['String']['output'];
  node: PaasApp;
};

/** All given conditions must hold. */
export type PaasAppFilter = {
  /** Codes starting with this text. */
  codePrefix?: InputMaybe<Scalars['String']['input']>;
  /** Exact main language, e.g. `Python`. */
  language?: InputMaybe<Scalars['String']['input']>;
  type?: InputMaybe<PaasAppType>;
};

/** bk-paas application type. */
export type PaasAppType =
  | 'CLOUD_NATIVE'
  | 'DEFAULT'
  | 'ENGINELESS_APP';

/** One module in one environment (`stag` or `prod`). */
export type PaasEnvironment = {
  __typename?: 'PaasEnvironment';
  app: PaasApp;
  /** `{app_code}/{module_name}/{environment}`. */
  id: Scalars['ID']['output'];
  /** The instances counter (`instances.metadata.resource_version`). */
  instanceResourceVersion: Scalars['String']['output'];
  /** The instances attached to the processes, by process type and name. */
  instances: Array<PaasInstance>;
  isOfflined?: Maybe<Scalars['Boolean']['output']>;
  module: PaasModule;
  name: PaasEnvironmentName;
  /** Platform-side process configuration, by name. */
  processPackages: Array<PaasProcessPackage>;
  /** The processes counter (`processes.metadata.resource_version`). */
  processResourceVersion: Scalars['String']['output'];
  /** Every process, including those with zero instances, by type. */
  processes: Array<PaasProcess>;
};


/** One module in one environment (`stag` or `prod`). */
export type PaasEnvironmentInstancesArgs = {
  onlyLatestVersion?: Scalars['Boolean']['input'];
};

/** A module environment of bk-paas: `stag` (pre-release) or `prod` (production). */
export type PaasEnvironmentName =
  | 'PROD'
  | 'STAG';

/** One running copy (pod) of a process. */
export type PaasInstance = {
  __typename?: 'PaasInstance';
  /** The last `-`-separated segment of the name: computed. */
  displayName: Scalars['String']['output'];
  environment: PaasEnvironment;
  hostIp?: Maybe<Scalars['String']['output']>;
  /** `{env id}/{name}`. */
  id: Scalars['ID']['output'];
  image: Scalars['String']['output'];
  /** Pod name. */
  name: Scalars['String']['output'];
  /** The process of the same type; null when there is none. */
  process?: Maybe<PaasProcess>;
  processType: Scalars['String']['output'];
  ready: Scalars['Boolean']['output'];
  restartCount: Scalars['Int']['output'];
  richStatus: Scalars['String']['output'];
  startTime?: Maybe<Scalars['DateTimeISO']['output']>;
  /** Upstream display state: a stored `Running` that is not ready shows as `Starting`. */
  state: Scalars['String']['output'];
  stateMessage?: Maybe<Scalars['String']['output']>;
  terminatedInfo?: Maybe<PaasTerminatedInfo>;
  /** An integer here; the REST list gives it as a string, as upstream does. */
  version: Scalars['Int']['output'];
};

export type PaasListMetadata = {
  __typename?: 'PaasListMetadata';
  /** The per-environment counter of this kind, as a decimal string. */
  resourceVersion: Scalars['String']['output'];
};

/** A module of an application. */
export type PaasModule = {
  __typename?: 'PaasModule';
  app: PaasApp;
  environment?: Maybe<PaasEnvironment>;
  /** The module's environments (`prod`, then `stag`). */
  environments: Array<PaasEnvironment>;
  /** `{app_code}/{name}`. */
  id: Scalars['ID']['output'];
  isDefault: Scalars['Boolean']['output'];
  language?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
};


/** A module of an application. */
export type PaasModuleEnvironmentArgs = {
  name: PaasEnvironmentName;
};

export type PaasPageInfo = {
  __typename?: 'PaasPageInfo';
  /** Pass as `after` for the next page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/** The live state of one process type of a module environment. */
export type PaasProcess = {
  __typename?: 'PaasProcess';
  /** `http://{service}.{namespace}`: computed by the cloud-native rule. */
  clusterLink: Scalars['String']['output'];
  /** Start command (stored for every app type; upstream gives `""` for cloud-native apps). */
  command: Scalars['String']['output'];
  environment: PaasEnvironment;
  /** max(replicas - success, 0): computed. */
  failed: Scalars['Int']['output'];
  /** `{env id}/{type}`. */
  id: Scalars['ID']['output'];
  instances: Array<PaasInstance>;
  /** Deployment name, e.g. `example--web`. */
  name: Scalars['String']['output'];
  /** The process package of the same name. */
  package?: Maybe<PaasProcessPackage>;
  /** Desired replicas (live, reflects the autoscaler). */
  replicas: Scalars['Int']['output'];
  /** Available replicas. */
  success: Scalars['Int']['output'];
  /** Process type, e.g. `web`. */
  type: Scalars['String']['output'];
  /** Release version (default apps) or deploy id (cloud-native). */
  version: Scalars['Int']['output'];
};


/** The live state of one process type of a module environment. */
export type PaasProcessInstancesArgs = {
  onlyLatestVersion?: Scalars['Boolean']['input'];
};

/** Deprecated upstream: the same data as the process items. */
export type PaasProcessExtraInfo = {
  __typename?: 'PaasProcessExtraInfo';
  clusterLink: Scalars['String']['output'];
  command: Scalars['String']['output'];
  type: Scalars['String']['output'];
};

/** The REST processes list of one module environment, as a graph. */
export type PaasProcessList = {
  __typename?: 'PaasProcessList';
  app: PaasApp;
  environment: PaasEnvironment;
  instances: PaasProcessListInstances;
  module: PaasModule;
  processPackages: Array<PaasProcessPackage>;
  processes: PaasProcessListProcesses;
};

export type PaasProcessListInstances = {
  __typename?: 'PaasProcessListInstances';
  items: Array<PaasInstance>;
  metadata: PaasListMetadata;
};

export type PaasProcessListProcesses = {
  __typename?: 'PaasProcessListProcesses';
  extraInfos: Array<PaasProcessExtraInfo>;
  items: Array<PaasProcess>;
  metadata: PaasListMetadata;
};

/** The platform-side configuration of one process type. */
export type PaasProcessPackage = {
  __typename?: 'PaasProcessPackage';
  autoscaling: Scalars['Boolean']['output'];
  environment: PaasEnvironment;
  id: Scalars['ID']['output'];
  maxReplicas: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  planName: Scalars['String']['output'];
  process?: Maybe<PaasProcess>;
  resourceLimit: PaasResourceQuantities;
  /** Computed from resourceLimit. */
  resourceLimitQuota: PaasResourceQuota;
  resourceRequests: PaasResourceQuantities;
  scalingConfig?: Maybe<PaasScalingConfig>;
  targetReplicas: Scalars['Int']['output'];
  /** Cloud-native apps: STOP iff targetReplicas is 0 (computed); others: stored. */
  targetStatus: PaasProcessTargetStatus;
};

/** What the platform wants a process to be: started or stopped. */
export type PaasProcessTargetStatus =
  | 'START'
  | 'STOP';

/** Kubernetes quantities, e.g. `4096m` / `1024Mi`. */
export type PaasResourceQuantities = {
  __typename?: 'PaasResourceQuantities';
  cpu: Scalars['String']['output'];
  memory: Scalars['String']['output'];
};

/** Limits as numbers: CPU in millicores, memory in MiB. */
export type PaasResourceQuota = {
  __typename?: 'PaasResourceQuota';
  cpu: Scalars['Int']['output'];
  memory: Scalars['Int']['output'];
};

export type PaasScalingConfig = {
  __typename?: 'PaasScalingConfig';
  maxReplicas: Scalars['Int']['output'];
  minReplicas: Scalars['Int']['output'];
  policy: Scalars['String']['output'];
};

/** Why the first container last terminated. */
export type PaasTerminatedInfo = {
  __typename?: 'PaasTerminatedInfo';
  exitCode?: Maybe<Scalars['Int']['output']>;
  reason?: Maybe<Scalars['String']['output']>;
};

/** The running procgraph server. */
export type ProcgraphInfo = {
  __typename?: 'ProcgraphInfo';
  /** The MongoDB database procgraph reads. */
  databaseName: Scalars['String']['output'];
  /** The version the MongoDB-wire server reports (buildInfo). */
  databaseServerVersion: Scalars['String']['output'];
  /** procgraph's version (package.json). */
  version: Scalars['String']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** One PaaS application by code; null when there is none. */
  paasApp?: Maybe<PaasApp>;
  /** Applications in code order, a page at a time (first: 1 to 100). */
  paasAppList: PaasAppConnection;
  /** Applications by code, in the order given, null for a miss (at most 500 codes). */
  paasApps: Array<Maybe<PaasApp>>;
  /** The REST processes list of one module environment (same rules, same computed values). */
  paasProcessList: PaasProcessList;
  /** Which procgraph answers, and over which database. */
  procgraph: ProcgraphInfo;
};


export type QueryPaasAppArgs = {
  code: Scalars['String']['input'];
};


export type QueryPaasAppListArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<PaasAppFilter>;
  first?: Scalars['Int']['input'];
};


export type QueryPaasAppsArgs = {
  codes: Array<Scalars['String']['input']>;
};


export type QueryPaasProcessListArgs = {
  appCode: Scalars['String']['input'];
  environment: PaasEnvironmentName;
  moduleName?: InputMaybe<Scalars['String']['input']>;
  onlyLatestVersion?: Scalars['Boolean']['input'];
};

export type ProcgraphInfoQueryVariables = Exact<{ [key: string]: never; }>;


export type ProcgraphInfoQuery = { procgraph: { version: string, databaseName: string, databaseServerVersion: string } };


export const ProcgraphInfoDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ProcgraphInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"procgraph"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"databaseName"}},{"kind":"Field","name":{"kind":"Name","value":"databaseServerVersion"}}]}}]}}]} as unknown as DocumentNode<ProcgraphInfoQuery, ProcgraphInfoQueryVariables>;