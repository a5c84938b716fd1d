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
  /** Which procgraph answers, and over which database. */
  procgraph: ProcgraphInfo;
  /** Who the server takes the caller for, and what it may read. */
  viewer: Viewer;
};

/** The caller, and what its token lets it read. */
export type Viewer = {
  __typename?: 'Viewer';
  /** True when the request carried no token. */
  anonymous: Scalars['Boolean']['output'];
  /** The CMDB businesses (bk_biz_id) in scope; null means all. */
  cmdbBusinesses?: Maybe<Array<Scalars['Int']['output']>>;
  /** The PaaS app codes in scope; null means all. */
  paasApps?: Maybe<Array<Scalars['String']['output']>>;
  /** The token's name, or "anonymous". */
  principal: Scalars['String']['output'];
};

export type ProcgraphInfoQueryVariables = Exact<{ [key: string]: never; }>;


export type ProcgraphInfoQuery = { procgraph: { version: string, databaseName: string, databaseServerVersion: string } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { principal: string, anonymous: boolean, cmdbBusinesses: Array<number> | null, paasApps: Array<string> | null } };


export const ProcgraphInfoDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ProcgraphInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"procgraph"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"databaseName"}},{"kind":"Field","name":{"kind":"Name","value":"databaseServerVersion"}}]}}]}}]} as unknown as DocumentNode<ProcgraphInfoQuery, ProcgraphInfoQueryVariables>;
export const ViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"principal"}},{"kind":"Field","name":{"kind":"Name","value":"anonymous"}},{"kind":"Field","name":{"kind":"Name","value":"cmdbBusinesses"}},{"kind":"Field","name":{"kind":"Name","value":"paasApps"}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;