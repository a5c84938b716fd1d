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
};

export type ProcgraphInfoQueryVariables = Exact<{ [key: string]: never; }>;


export type ProcgraphInfoQuery = { procgraph: { version: string, databaseName: string, databaseServerVersion: string } };


export const ProcgraphInfoDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ProcgraphInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"procgraph"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"databaseName"}},{"kind":"Field","name":{"kind":"Name","value":"databaseServerVersion"}}]}}]}}]} as unknown as DocumentNode<ProcgraphInfoQuery, ProcgraphInfoQueryVariables>;