import type { TestServer } from "./server";

export interface RestAnswer {
  status: number;
  text: string;
  json: {
    result: boolean;
    bk_error_code?: number;
    bk_error_msg?: string;
    code?: number;
    message?: string;
    data: { count: number; info: Array<Record<string, Record<string, unknown>>> } | null;
  };
}

/** POSTs to the native endpoint; `body` is sent as given when it is a string. */
export async function nativeCall(server: TestServer, bizId: string | number, body: unknown, headers: Record<string, string> = {}): Promise<RestAnswer> {
  return call(server, `/api/v3/findmany/proc/process_related_info/biz/${bizId}`, body, headers);
}

export async function esbCall(server: TestServer, body: unknown, headers: Record<string, string> = {}): Promise<RestAnswer> {
  return call(server, "/api/c/compapi/v2/cc/list_process_related_info/", body, headers);
}

async function call(server: TestServer, path: string, body: unknown, headers: Record<string, string>): Promise<RestAnswer> {
  const response = await server.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) as RestAnswer["json"] };
}

/** The process ids of a successful answer, in answer order. */
export function processIds(answer: RestAnswer): unknown[] {
  if (!answer.json.data) throw new Error(`expected success, got ${answer.text}`);
  return answer.json.data.info.map((item) => item.process.bk_process_id);
}

/**
 * The commands of one list_process_related_info page without a set, module or service-instance
 * filter, sorted: count and page of processes, relations, service instances, hosts, modules, sets.
 */
export const RELATED_INFO_COMMANDS = [
  "aggregate:cc_Process",
  "find:cc_HostBase",
  "find:cc_ModuleBase",
  "find:cc_Process",
  "find:cc_ProcessInstanceRelation",
  "find:cc_ServiceInstance",
  "find:cc_SetBase",
];

/** GraphQL adds the process template, which REST does not read (it returns only its id). */
export const RELATED_INFO_GRAPHQL_COMMANDS = [...RELATED_INFO_COMMANDS, "find:cc_ProcessTemplate"].sort();

/** The canonical GraphQL page (process → service instance → module → set; host; template), sorted: one find per collection. */
export const PROCESS_PAGE_COMMANDS = [
  "find:cc_HostBase",
  "find:cc_ModuleBase",
  "find:cc_Process",
  "find:cc_ProcessInstanceRelation",
  "find:cc_ProcessTemplate",
  "find:cc_ServiceInstance",
  "find:cc_SetBase",
];
