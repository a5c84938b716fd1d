import WebSocket from "ws";
import { CmdbCollection } from "../../src/cmdb/collections";
import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";
import { encodeId } from "../helpers/crossModelFixture";
import { waitActive } from "../helpers/liveClients";

const BUFFER = 4;
const database = useTestDatabase();
const server = useTestServer(database, { LIVE_BUFFER_EVENTS: String(BUFFER) });

/** The server's counter of events never delivered to slow consumers. */
async function droppedSlow(): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith('procgraph_subscription_events_dropped_total{reason="slow_consumer"}'));
  return line ? Number(line.split(" ").pop()) : 0;
}

describe("a subscriber that does not read (docs/graph.md \"Live updates\")", () => {
  it("is closed with SLOW_CONSUMER, what it had queued is counted as dropped, and the server stops sending to it", async () => {
    // A real graphql-transport-ws client whose socket stops reading once subscribed.
    const socket = new WebSocket(`${server.url.replace("http", "ws")}/graphql`, "graphql-transport-ws");
    const frames: string[] = [];
    socket.on("message", (data) => frames.push(String(data)));
    await new Promise((resolve) => socket.once("open", resolve));
    socket.send(JSON.stringify({ type: "connection_init", payload: {} }));
    await new Promise((resolve) => socket.once("message", resolve));
    socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: "subscription { processEvents(filter: { source: CMDB }) { type id process { name } } }" } }));
    await waitActive(server.url, 1);
    socket.pause();

    // Events of ~256 KB each: the loopback socket's buffers (a few MB) fill, the transport waits,
    // and the subscriber's own queue of BUFFER changes overflows.
    const before = await droppedSlow();
    const padding = "x".repeat(256 * 1024);
    const written: number[] = [];
    const processes = database.db.collection(CmdbCollection.process);
    const deadline = Date.now() + 60_000;
    for (let id = 5001; Date.now() < deadline && (await droppedSlow()) === before; id += 1) {
      if (written.length >= 200) throw new Error(`no SLOW_CONSUMER after ${written.length} writes of 256 KB`);
      await processes.insertOne({ bk_process_id: id, bk_biz_id: 2, bk_process_name: `slow-${id}-${padding}`, bk_supplier_account: "0" });
      written.push(id);
      // Let the change reach the subscriber before asking again.
      await new Promise((r) => setTimeout(r, 20));
    }
    // The queued changes and the one that overflowed the buffer: nothing else is held for it.
    expect((await droppedSlow()) - before).toBe(BUFFER + 1);
    // Still unread; more writes reach no queue (the subscriber left the feed when it was closed).
    for (let id = 9001; id <= 9010; id += 1) await processes.insertOne({ bk_process_id: id, bk_biz_id: 2, bk_process_name: `after-${id}`, bk_supplier_account: "0" });
    await new Promise((r) => setTimeout(r, 500));
    expect((await droppedSlow()) - before).toBe(BUFFER + 1);

    // The client reads again: what was in flight, then the stated reason, then the end.
    const closed = new Promise((resolve) => socket.once("close", resolve));
    socket.resume();
    const until = Date.now() + 30_000;
    while (!frames.some((f) => JSON.parse(f).type === "complete") && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const messages = frames.map((f) => JSON.parse(f) as { type: string; payload?: { data?: { processEvents: { type: string; id: string } } | null; errors?: Array<{ message: string; extensions: { code: string } }> } });
    expect(messages.at(-1)).toEqual({ id: "1", type: "complete" });
    const last = messages.at(-2)!;
    expect(last.type).toBe("next");
    expect(last.payload!.errors).toEqual([
      expect.objectContaining({ message: `the subscriber fell ${BUFFER} events behind and was closed; subscribe again with the last cursor`, extensions: { code: "SLOW_CONSUMER" } }),
    ]);
    // Before it, the events sent until the socket filled: the first writes, in order, each once.
    const delivered = messages.slice(1, -2).map((m) => m.payload!.data!.processEvents.id);
    expect(delivered.length).toBeGreaterThan(0);
    expect(delivered).toEqual(written.slice(0, delivered.length).map((id) => encodeId("CmdbProcess", id)));
    // Nothing written after the close reached it, and the dropped changes were never sent.
    expect(frames.join("\n")).not.toContain("after-");
    expect(delivered.length + BUFFER + 1).toBeLessThanOrEqual(written.length);
    await waitActive(server.url, 0);

    socket.close();
    await closed;
  }, 120_000);
});
