import type { DocumentTypeDecoration } from "@graphql-typed-document-node/core";

/** A token typed into the page lives in this tab's sessionStorage only: never a cookie, never localStorage. */
const TOKEN_KEY = "procgraph.dashboard.token";

export function readToken(): string {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? "";
  } catch {
    return "";
  }
}

export function saveToken(token: string): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string } & Record<string, unknown>;
}

export class RequestFailed extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly status: number,
  ) {
    super(message);
  }
}

export const ENDPOINT = new URL("/graphql", window.location.href).toString();

/** POSTs one typed document to this server's /graphql with the session's token. */
export async function request<TResult, TVariables>(document: DocumentTypeDecoration<TResult, TVariables>, variables?: TVariables): Promise<TResult> {
  const token = readToken();
  const response = await fetch(ENDPOINT, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: String(document), variables: variables ?? {} }),
  });
  let body: { data?: TResult | null; errors?: GraphQLErrorShape[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new RequestFailed(`procgraph answered ${response.status} without JSON`, undefined, response.status);
  }
  if (body.errors?.length) throw new RequestFailed(body.errors[0].message, body.errors[0].extensions?.code, response.status);
  if (!body.data) throw new RequestFailed(`procgraph answered ${response.status} without data`, undefined, response.status);
  return body.data;
}
