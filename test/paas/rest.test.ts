import { useTestDatabase } from "../helpers/db";
import { useTestServer } from "../helpers/server";
import { writePaasFixture } from "../helpers/paasFixture";

const database = useTestDatabase();
const server = useTestServer(database);

beforeAll(async () => {
  await writePaasFixture(database.db);
});

const LIST = "/api/bkapps/applications/example/modules/default/envs/prod/processes/list/";

// Written by hand from docs/paas.md ("Response types", "Computed values"): upstream key order and types.
const WEB = `{"module_name":"default","name":"example--web","type":"web","command":"gunicorn wsgi -w 4","replicas":2,"success":1,"failed":1,"version":3,"cluster_link":"http://example--web.bkapp-example-prod"}`;
const WORKER = `{"module_name":"default","name":"example--worker","type":"worker","command":"celery -A app worker","replicas":0,"success":0,"failed":0,"version":3,"cluster_link":"http://example--worker.bkapp-example-prod"}`;
const EXTRA = `[{"type":"web","command":"gunicorn wsgi -w 4","cluster_link":"http://example--web.bkapp-example-prod"},{"type":"worker","command":"celery -A app worker","cluster_link":"http://example--worker.bkapp-example-prod"}]`;
const ABCDE = `{"module_name":"default","name":"example--web-5d8f7c9b4-abcde","process_type":"web","display_name":"abcde","image":"mirrors.example.com/bkapps/example:v3","start_time":"2024-08-16T02:07:55Z","state":"Running","state_message":null,"rich_status":"Running","ready":true,"restart_count":0,"terminated_info":{"exit_code":null,"reason":null},"version":"3"}`;
const FGHIJ = `{"module_name":"default","name":"example--web-5d8f7c9b4-fghij","process_type":"web","display_name":"fghij","image":"mirrors.example.com/bkapps/example:v3","start_time":"2024-08-16T02:08:01Z","state":"Starting","state_message":"Readiness probe failed","rich_status":"Running","ready":false,"restart_count":2,"terminated_info":{"exit_code":137,"reason":"OOMKilled"},"version":"3"}`;
const UVWXY = `{"module_name":"default","name":"example--web-5d8f7c9b4-uvwxy","process_type":"web","display_name":"uvwxy","image":"mirrors.example.com/bkapps/example:v3","start_time":null,"state":"Pending","state_message":"0/3 nodes are available","rich_status":"Pending","ready":false,"restart_count":0,"terminated_info":{},"version":"3"}`;
const KLMNO = `{"module_name":"default","name":"example--web-7c6b5a4d3-klmno","process_type":"web","display_name":"klmno","image":"mirrors.example.com/bkapps/example:v2","start_time":"2024-08-10T11:00:00Z","state":"Running","state_message":null,"rich_status":"Running","ready":true,"restart_count":0,"terminated_info":{"exit_code":0,"reason":"Completed"},"version":"2"}`;
const PACKAGES = `[{"name":"web","target_replicas":2,"target_status":"start","max_replicas":10,"resource_limit":{"cpu":"4000m","memory":"1024Mi"},"resource_requests":{"cpu":"200m","memory":"256Mi"},"plan_name":"default","resource_limit_quota":{"cpu":4000,"memory":1024},"autoscaling":true,"scaling_config":{"min_replicas":1,"max_replicas":4,"policy":"default"}},{"name":"worker","target_replicas":0,"target_status":"stop","max_replicas":10,"resource_limit":{"cpu":"4","memory":"1Gi"},"resource_requests":{"cpu":"200m","memory":"256Mi"},"plan_name":"4C1G","resource_limit_quota":{"cpu":4000,"memory":1024},"autoscaling":false,"scaling_config":null}]`;

const body = (instances: string[]) =>
  `{"processes":{"items":[${WEB},${WORKER}],"extra_infos":${EXTRA},"metadata":{"resource_version":"2"}},"instances":{"items":[${instances.join(",")}],"metadata":{"resource_version":"8"}},"process_packages":${PACKAGES}}`;

const ALL_INSTANCES = body([ABCDE, FGHIJ, UVWXY, KLMNO]);
const LATEST_INSTANCES = body([ABCDE, FGHIJ, UVWXY]);

async function get(path: string): Promise<{ status: number; text: string; type: string | null }> {
  const response = await server.request(path);
  return { status: response.status, text: await response.text(), type: response.headers.get("content-type") };
}

describe("GET …/processes/list/ (REST, drop-in for bk-paas)", () => {
  it("answers the module form with upstream's body, byte for byte", async () => {
    const response = await get(LIST);
    expect(response.status).toBe(200);
    expect(response.type).toBe("application/json; charset=utf-8");
    expect(response.text).toBe(ALL_INSTANCES);
  });

  it("answers the default-module form exactly like the module form (docs/paas.md, \"Default-module form\")", async () => {
    expect(await get("/api/bkapps/applications/example/envs/prod/processes/list/")).toEqual(await get(LIST));
  });

  it("serves a default-type app: stored target_status, cluster_link by the cloud-native rule, quotas from other units", async () => {
    const response = await get("/api/bkapps/applications/legacy-app/envs/prod/processes/list/");
    expect(response.status).toBe(200);
    expect(response.text).toBe(
      `{"processes":{"items":[{"module_name":"default","name":"bkapp-legacy-app-prod--web","type":"web","command":"php-fpm","replicas":1,"success":1,"failed":0,"version":12,"cluster_link":"http://legacy-app--web.bkapp-legacy-app-prod"}],` +
        `"extra_infos":[{"type":"web","command":"php-fpm","cluster_link":"http://legacy-app--web.bkapp-legacy-app-prod"}],"metadata":{"resource_version":"1"}},` +
        `"instances":{"items":[{"module_name":"default","name":"bkapp-legacy-app-prod--web-84c7d6b5f-q1w2e","process_type":"web","display_name":"q1w2e","image":"php:7.4","start_time":"2024-07-01T08:30:00.250Z","state":"Running","state_message":null,"rich_status":"Running","ready":true,"restart_count":0,"terminated_info":{},"version":"12"}],"metadata":{"resource_version":"1"}},` +
        `"process_packages":[{"name":"clock","target_replicas":0,"target_status":"start","max_replicas":5,"resource_limit":{"cpu":"1","memory":"268435456"},"resource_requests":{"cpu":"100m","memory":"256Mi"},"plan_name":"Starter","resource_limit_quota":{"cpu":1000,"memory":256},"autoscaling":false,"scaling_config":null},` +
        `{"name":"web","target_replicas":1,"target_status":"stop","max_replicas":5,"resource_limit":{"cpu":"500m","memory":"524288Ki"},"resource_requests":{"cpu":"100m","memory":"256Mi"},"plan_name":"Starter","resource_limit_quota":{"cpu":500,"memory":512},"autoscaling":false,"scaling_config":null}]}`,
    );
  });

  it("names a non-default module in module_name and in the cluster link, and clamps failed at 0", async () => {
    const response = await get("/api/bkapps/applications/example/modules/api/envs/prod/processes/list/");
    const parsed = JSON.parse(response.text);
    expect(parsed.processes.items).toEqual([
      { module_name: "api", name: "example-m-api--web", type: "web", command: "./api serve", replicas: 1, success: 2, failed: 0, version: 7, cluster_link: "http://example-m-api--web.bkapp-example-prod" },
    ]);
    expect(parsed.instances.items.map((i: { module_name: string }) => i.module_name)).toEqual(["api"]);
  });

  it("lists an environment without writes as empty, with resource_version \"0\"", async () => {
    const response = await get("/api/bkapps/applications/example/modules/default/envs/stag/processes/list/");
    expect(response.status).toBe(200);
    expect(response.text).toBe(`{"processes":{"items":[],"extra_infos":[],"metadata":{"resource_version":"0"}},"instances":{"items":[],"metadata":{"resource_version":"0"}},"process_packages":[]}`);
  });

  describe("only_latest_version", () => {
    it.each(["true", "True", "1"])("=%s keeps only the instances of their process's version", async (value) => {
      expect((await get(`${LIST}?only_latest_version=${value}`)).text).toBe(LATEST_INSTANCES);
    });

    it.each(["false", "False", "0"])("=%s keeps every attached instance", async (value) => {
      expect((await get(`${LIST}?only_latest_version=${value}`)).text).toBe(ALL_INSTANCES);
    });

    it("absent means false", async () => {
      expect((await get(LIST)).text).toBe(ALL_INSTANCES);
    });

    it.each(["yes", "TRUE", "", "2"])("=%j is a 400 VALIDATION_ERROR", async (value) => {
      const response = await get(`${LIST}?only_latest_version=${encodeURIComponent(value)}`);
      expect(response.status).toBe(400);
      expect(response.text).toBe(`{"code":"VALIDATION_ERROR","detail":"only_latest_version: must be a boolean","fields_detail":{"only_latest_version":["must be a boolean"]}}`);
    });
  });

  describe("errors", () => {
    it("a bad environment is a 400 VALIDATION_ERROR, checked before anything else", async () => {
      const { result, commands } = await database.recordCommands(() => get("/api/bkapps/applications/nope-app/modules/default/envs/qa/processes/list/?only_latest_version=maybe"));
      expect(result.status).toBe(400);
      expect(result.text).toBe(`{"code":"VALIDATION_ERROR","detail":"environment: must be one of stag, prod","fields_detail":{"environment":["must be one of stag, prod"]}}`);
      expect(commands).toEqual([]);
    });

    it("an unknown app is a 404 ERROR naming it", async () => {
      const response = await get("/api/bkapps/applications/nope-app/modules/default/envs/prod/processes/list/");
      expect(response.status).toBe(404);
      expect(response.text).toBe(`{"code":"ERROR","detail":"application \\"nope-app\\" not found"}`);
    });

    it("an unknown module is a 404 ERROR naming it", async () => {
      const response = await get("/api/bkapps/applications/example/modules/nope/envs/prod/processes/list/");
      expect(response.status).toBe(404);
      expect(response.text).toBe(`{"code":"ERROR","detail":"module \\"nope\\" of application \\"example\\" not found"}`);
    });

    it("an app without a default module is a 404 on the default-module form", async () => {
      const response = await get("/api/bkapps/applications/no-default/envs/stag/processes/list/");
      expect(response.status).toBe(404);
      expect(response.text).toBe(`{"code":"ERROR","detail":"default module of application \\"no-default\\" not found"}`);
    });

    it("a module without a record for the environment is a 404", async () => {
      const response = await get("/api/bkapps/applications/example/modules/api/envs/stag/processes/list/");
      expect(response.status).toBe(404);
      expect(response.text).toBe(`{"code":"ERROR","detail":"environment \\"stag\\" of module \\"api\\" of application \\"example\\" not found"}`);
    });

    it("lookups come before query parameters (docs/paas.md, \"Query parameters and error order\"): an unknown app wins over a bad only_latest_version", async () => {
      const response = await get("/api/bkapps/applications/nope-app/envs/prod/processes/list/?only_latest_version=maybe");
      expect(response.status).toBe(404);
    });

    it.each([
      ["an upper-case code", "Example"],
      ["a code with a leading digit", "1example"],
      ["a too short code", "ab"],
      ["a code with a reserved word", "my--app"],
      ["a code with -m-", "app-m-x"],
      ["a code with an encoded slash", "a%2Fb"],
    ])("%s is a 404 answered without any MongoDB command", async (_label, code) => {
      const { result, commands } = await database.recordCommands(() => get(`/api/bkapps/applications/${code}/modules/default/envs/prod/processes/list/`));
      expect(result.status).toBe(404);
      expect(JSON.parse(result.text)).toEqual({ code: "ERROR", detail: `application "${decodeURIComponent(code)}" not found` });
      expect(commands).toEqual([]);
    });

    it.each([
      ["an upper-case name", "Default"],
      ["a too long name", "abcdefghijklmnopq"],
      ["a trailing dash", "api-"],
    ])("a module name with %s is a 404 answered without any MongoDB command", async (_label, name) => {
      const { result, commands } = await database.recordCommands(() => get(`/api/bkapps/applications/example/modules/${name}/envs/prod/processes/list/`));
      expect(result.status).toBe(404);
      expect(JSON.parse(result.text)).toEqual({ code: "ERROR", detail: `module "${name}" of application "example" not found` });
      expect(commands).toEqual([]);
    });

    it("refuses release_id with a 400 (docs/paas.md, \"Query parameters and error order\"); with a bad only_latest_version, detail is the first sorted message", async () => {
      const alone = await get(`${LIST}?release_id=0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`);
      expect(alone.status).toBe(400);
      expect(alone.text).toBe(`{"code":"VALIDATION_ERROR","detail":"release_id: release_id is not supported by this server","fields_detail":{"release_id":["release_id is not supported by this server"]}}`);
      const both = await get(`${LIST}?release_id=x&only_latest_version=maybe`);
      expect(both.text).toBe(
        `{"code":"VALIDATION_ERROR","detail":"only_latest_version: must be a boolean","fields_detail":{"only_latest_version":["must be a boolean"],"release_id":["release_id is not supported by this server"]}}`,
      );
    });
  });

  it("costs a fixed, small number of MongoDB commands", async () => {
    const { summary } = await database.recordCommands(() => get(LIST));
    expect(summary.sort()).toEqual(["find:paas_applications", "find:paas_instances", "find:paas_module_envs", "find:paas_modules", "find:paas_process_specs", "find:paas_processes", "find:paas_resource_versions"]);
  });
});
