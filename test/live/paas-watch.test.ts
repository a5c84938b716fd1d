import { PaasWriter } from "../../src/paas/providers/writer";
import type { InstanceDoc } from "../../src/paas/collections";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";
import { tokensFile } from "../helpers/crossModelFixture";
import { writePaasFixture } from "../helpers/paasFixture";

const SCOPED = "token-live-watch-legacy-0123456789";
const database = useTestDatabase();
const server = useTestServer(database, {
  PAAS_WATCH_HISTORY_SECONDS: "3",
  TOKENS_FILE: tokensFile({ legacy: { token: SCOPED, scope: { cmdbBusinesses: [], paasApps: ["legacy-app"] } } }),
});
const ENV = "example/default/prod";
const BASE = "/api/bkapps/applications/example/modules/default/envs/prod/processes";

beforeAll(async () => {
  await writePaasFixture(database.db);
});

interface Frame {
  id?: string;
  event?: string;
  data: string;
}

/** Reads an SSE response frame by frame (raw HTTP: fetch's body stream). */
function frames(response: Response): { next(timeoutMs?: number): Promise<Frame | undefined>; cancel(): Promise<void> } {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    async next(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const frame: Frame = { data: "" };
          for (const line of block.split("\n")) {
            const at = line.indexOf(": ");
            const [field, value] = at >= 0 ? [line.slice(0, at), line.slice(at + 2)] : [line.replace(/:$/, ""), ""];
            if (field === "data") frame.data = value;
            else if (field === "event") frame.event = value;
            else if (field === "id") frame.id = value;
          }
          return frame;
        }
        const chunk = await Promise.race([reader.read(), new Promise<"timeout">((r) => setTimeout(() => r("timeout"), Math.max(1, deadline - Date.now())))]);
        if (chunk === "timeout") throw new Error(`no SSE frame within ${timeoutMs} ms (buffer: ${JSON.stringify(buffer)})`);
        if (chunk.done) return undefined;
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

const message = (frame: Frame | undefined) => {
  expect(frame?.event).toBe("message");
  return JSON.parse(frame!.data) as { type: string; object_type: string; object: Record<string, unknown>; resource_version: string | null };
};

const instance = (name: string, extra: Partial<InstanceDoc> = {}): Omit<InstanceDoc, "_id"> => ({
  env_id: ENV, name, process_type: "web", image: "img:4", start_time: new Date("2026-01-01T00:00:00Z"), state: "Running", state_message: null,
  rich_status: "Running", ready: true, restart_count: 0, terminated_info: null, version: 3, ...extra,
});

describe("GET …/processes/watch/", () => {
  it("answers validation errors and unknown names as processes/list does", async () => {
    const missing = await server.request(`${BASE}/watch/?rv_inst=0`);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ code: "VALIDATION_ERROR", detail: "rv_proc: This field is required.", fields_detail: { rv_proc: ["This field is required."] } });
    const long = await server.request(`${BASE}/watch/?rv_proc=0&rv_inst=0&timeout_seconds=121`);
    expect(await long.json()).toEqual({
      code: "VALIDATION_ERROR",
      detail: "timeout_seconds: Ensure this value is less than or equal to 120.",
      fields_detail: { timeout_seconds: ["Ensure this value is less than or equal to 120."] },
    });
    const unknown = await server.request("/api/bkapps/applications/nope-app/envs/prod/processes/watch/?rv_proc=0&rv_inst=0");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ code: "ERROR", detail: 'application "nope-app" not found' });
    // Outside the token's scope: exactly as unknown.
    const foreign = await server.request(`${BASE}/watch/?rv_proc=0&rv_inst=0`, { headers: { authorization: `Bearer ${SCOPED}` } });
    expect(foreign.status).toBe(404);
  });

  it("lists then watches: writes between the list and the watch arrive, each once, with the list's item shapes", async () => {
    const listed = (await (await server.request(`${BASE}/list/`)).json()) as {
      processes: { items: Array<Record<string, unknown>>; metadata: { resource_version: string } };
      instances: { items: Array<Record<string, unknown>>; metadata: { resource_version: string } };
    };
    const rvProc = Number(listed.processes.metadata.resource_version);
    const rvInst = Number(listed.instances.metadata.resource_version);
    const writer = new PaasWriter(database.db);
    // Between the list and the watch: two instance writes and a process write.
    await writer.upsertInstance(instance("example--web-5d8f7c9b4-live1"));
    await writer.upsertProcess({ env_id: ENV, type: "web", name: "example--web", command: "gunicorn wsgi -w 4", replicas: 3, success: 1, version: 3 });
    await writer.deleteInstance(ENV, "example--web-5d8f7c9b4-live1");

    const response = await server.request(`${BASE}/watch/?rv_proc=${rvProc}&rv_inst=${rvInst}&timeout_seconds=3`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const stream = frames(response);
    expect(await stream.next()).toEqual({ event: "ping", data: "" });
    const got = [message(await stream.next()), message(await stream.next()), message(await stream.next())];
    const byType = got.map((m) => [m.type, m.object_type, m.resource_version]);
    expect(byType).toEqual([
      ["ADDED", "instance", String(rvInst + 1)],
      ["MODIFIED", "process", String(rvProc + 1)],
      ["DELETED", "instance", String(rvInst + 2)],
    ]);
    // The same keys and value types as the list's items.
    expect(Object.keys(got[0].object)).toEqual(Object.keys(listed.instances.items[0]));
    expect(Object.keys(got[1].object)).toEqual(Object.keys(listed.processes.items[0]));
    expect(got[1].object).toMatchObject({ module_name: "default", type: "web", replicas: 3, success: 1, failed: 2, version: 3 });
    expect(got[2].object).toMatchObject({ name: "example--web-5d8f7c9b4-live1", display_name: "live1", version: "3" });

    // Then live, until the timeout's EOF.
    await writer.upsertInstance(instance("example--web-5d8f7c9b4-live2"));
    expect(message(await stream.next())).toMatchObject({ type: "ADDED", object_type: "instance", resource_version: String(rvInst + 3) });
    expect(await stream.next(6_000)).toEqual({ id: "-1", event: "EOF", data: "" });
    expect(await stream.next()).toBeUndefined();
  });

  it("with rv 0 sends the current objects as ADDED first", async () => {
    const listed = (await (await server.request(`${BASE}/list/`)).json()) as { processes: { items: unknown[]; metadata: { resource_version: string } }; instances: { items: unknown[] } };
    const stream = frames(await server.request(`${BASE}/watch/?rv_proc=0&rv_inst=0&timeout_seconds=1`));
    expect((await stream.next())?.event).toBe("ping");
    const added: Array<ReturnType<typeof message>> = [];
    for (let i = 0; i < listed.processes.items.length + listed.instances.items.length; i += 1) added.push(message(await stream.next()));
    expect(added.every((m) => m.type === "ADDED")).toBe(true);
    expect(added.filter((m) => m.object_type === "process").map((m) => m.object)).toEqual(listed.processes.items);
    expect(added.filter((m) => m.object_type === "instance").map((m) => m.object)).toEqual(listed.instances.items);
    expect(await stream.next(5_000)).toEqual({ id: "-1", event: "EOF", data: "" });
  });

  it("answers a version older than the retained history with upstream's ERROR event, then ends", async () => {
    const writer = new PaasWriter(database.db);
    const before = (await (await server.request(`${BASE}/list/`)).json()) as { instances: { metadata: { resource_version: string } } };
    await writer.upsertInstance(instance("example--web-5d8f7c9b4-old1"));
    await new Promise((r) => setTimeout(r, 4_000)); // past PAAS_WATCH_HISTORY_SECONDS=3
    const rvProc = ((await (await server.request(`${BASE}/list/`)).json()) as { processes: { metadata: { resource_version: string } } }).processes.metadata.resource_version;
    const stream = frames(await server.request(`${BASE}/watch/?rv_proc=${rvProc}&rv_inst=${before.instances.metadata.resource_version}`));
    expect((await stream.next())?.event).toBe("ping");
    const error = message(await stream.next());
    expect(error).toEqual({ type: "ERROR", object_type: "error", object: { type: "ERROR", error_message: expect.stringMatching(/too old/) }, resource_version: null });
    expect(await stream.next()).toBeUndefined();
  }, 20_000);
});

describe("paasProcessEvents (the GraphQL twin)", () => {
  it("lists, then subscribes with the list's versions: the writes in between arrive, resolved like a query", async () => {
    const { wsClient, record, waitActive } = await import("../helpers/liveClients");
    const listed = await server.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: '{ paasProcessList(appCode: "example", environment: PROD) { processes { metadata { resourceVersion } } instances { metadata { resourceVersion } } } }' }),
    });
    const { data } = (await listed.json()) as { data: { paasProcessList: { processes: { metadata: { resourceVersion: string } }; instances: { metadata: { resourceVersion: string } } } } };
    const rvInst = Number(data.paasProcessList.instances.metadata.resourceVersion);
    const writer = new PaasWriter(database.db);
    await writer.upsertInstance(instance("example--web-5d8f7c9b4-gql1", { host_ip: "10.1.2.3" }));

    const client = wsClient(server.url);
    const events = record(
      client,
      `subscription W($p: String, $i: String) { paasProcessEvents(appCode: "example", environment: PROD, processResourceVersion: $p, instanceResourceVersion: $i) {
        type objectType resourceVersion key process { name } instance { name hostIp state }
      } }`,
      { p: data.paasProcessList.processes.metadata.resourceVersion, i: String(rvInst) },
    );
    await events.waitFor(1);
    await waitActive(server.url, 1);
    await writer.deleteInstance(ENV, "example--web-5d8f7c9b4-gql1");
    await events.waitFor(2);
    expect(events.messages.map((m) => m.data?.paasProcessEvents)).toEqual([
      { type: "ADDED", objectType: "INSTANCE", resourceVersion: String(rvInst + 1), key: `${ENV}/example--web-5d8f7c9b4-gql1`, process: null, instance: { name: "example--web-5d8f7c9b4-gql1", hostIp: "10.1.2.3", state: "Running" } },
      { type: "DELETED", objectType: "INSTANCE", resourceVersion: String(rvInst + 2), key: `${ENV}/example--web-5d8f7c9b4-gql1`, process: null, instance: null },
    ]);
    events.unsubscribe();
    await client.dispose();
    await waitActive(server.url, 0);
  });
});
