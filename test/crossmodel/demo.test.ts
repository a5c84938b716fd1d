import { CmdbCollection } from "../../src/cmdb/collections";
import { APP_BUSINESS_LINKS } from "../../src/crossmodel/collections";
import { modules } from "../../src/modules";
import { seedDemoOnce } from "../../src/seed/demo";
import { seedDepsOf, useTestDatabase } from "../helpers/db";

const database = useTestDatabase();

describe("the demo data of npm start", () => {
  it("links the models: PaaS instances on CMDB hosts, apps to businesses", async () => {
    const deps = seedDepsOf(database);
    expect(await seedDemoOnce(deps, modules)).toEqual(["cmdb", "paas", "graph"]);
    const links = await database.db.collection(APP_BUSINESS_LINKS).find({}).sort({ _id: 1 }).toArray();
    expect(links.map((l) => l.bk_biz_id)).toEqual([2, 3, 4, 2]);
    const hostIps = new Set((await database.db.collection(CmdbCollection.host).find({}).toArray()).flatMap((h) => h.bk_host_innerip as string[]));
    const instanceIps = (await database.db.collection("paas_instances").find({}).toArray()).map((i) => i.host_ip as string);
    expect(instanceIps.length).toBeGreaterThan(0);
    expect(instanceIps.every((ip) => hostIps.has(ip))).toBe(true);
    // Run again: nothing more.
    expect(await seedDemoOnce(deps, modules)).toEqual([]);
  });
});
