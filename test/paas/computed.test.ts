import { isEnvName, isValidAppCode, isValidModuleName } from "../../src/paas/ids";
import { clusterLink, cpuMillicores, displayName, displayState, failedCount, isLatestVersion, isoTime, memoryMebibytes, resourceLimitQuota, targetStatus } from "../../src/paas/providers/computed";

describe("computed values (docs/paas.md, \"Computed values\")", () => {
  it("failed = max(replicas - success, 0)", () => {
    expect(failedCount({ replicas: 2, success: 1 })).toBe(1);
    expect(failedCount({ replicas: 3, success: 0 })).toBe(3);
    expect(failedCount({ replicas: 1, success: 2 })).toBe(0);
    expect(failedCount({ replicas: 0, success: 0 })).toBe(0);
  });

  it("display_name is the last dash-separated segment, or the whole name", () => {
    expect(displayName("example--web-699599bf76-78jzf")).toBe("78jzf");
    expect(displayName("standalone")).toBe("standalone");
    expect(displayName("trailing-")).toBe("");
  });

  it("cluster_link follows the cloud-native naming rule for default and other modules", () => {
    expect(clusterLink("example/default/prod", "web", true)).toBe("http://example--web.bkapp-example-prod");
    expect(clusterLink("example/api/stag", "worker", false)).toBe("http://example-m-api--worker.bkapp-example-stag");
  });

  it("target_status: derived for cloud-native apps, stored for the others", () => {
    expect(targetStatus({ target_replicas: 0, target_status: "start" }, "cloud_native")).toBe("stop");
    expect(targetStatus({ target_replicas: 2, target_status: "stop" }, "cloud_native")).toBe("start");
    expect(targetStatus({ target_replicas: 0, target_status: "start" }, "default")).toBe("start");
    expect(targetStatus({ target_replicas: 2, target_status: "stop" }, "engineless_app")).toBe("stop");
    expect(targetStatus({ target_replicas: 2, target_status: null }, "default")).toBe("start");
  });

  it("resource_limit_quota: CPU in millicores, memory in MiB, rounded down", () => {
    expect(resourceLimitQuota({ cpu: "4096m", memory: "1024Mi" })).toEqual({ cpu: 4096, memory: 1024 });
    expect(cpuMillicores("4")).toBe(4000);
    expect(cpuMillicores("500m")).toBe(500);
    expect(cpuMillicores("0.25")).toBe(250);
    expect(cpuMillicores("lots")).toBe(0);
    expect(memoryMebibytes("1Gi")).toBe(1024);
    expect(memoryMebibytes("512Mi")).toBe(512);
    expect(memoryMebibytes("1536Ki")).toBe(1);
    expect(memoryMebibytes("1048575")).toBe(0);
    expect(memoryMebibytes("3145728")).toBe(3);
    expect(memoryMebibytes("1G")).toBe(0);
  });

  it("state: a stored Running that is not ready shows as Starting; nothing else changes", () => {
    expect(displayState({ state: "Running", ready: false })).toBe("Starting");
    expect(displayState({ state: "Running", ready: true })).toBe("Running");
    expect(displayState({ state: "Pending", ready: false })).toBe("Pending");
    expect(displayState({ state: "Evicted", ready: false })).toBe("Evicted");
  });

  it("versions compare by numeric value", () => {
    expect(isLatestVersion({ version: "3" }, { version: 3 })).toBe(true);
    expect(isLatestVersion({ version: 2 }, { version: 3 })).toBe(false);
  });

  it("start_time prints at second precision unless there are milliseconds", () => {
    expect(isoTime(new Date("2024-08-16T02:07:55Z"))).toBe("2024-08-16T02:07:55Z");
    expect(isoTime(new Date("2024-08-16T02:07:55.5Z"))).toBe("2024-08-16T02:07:55.500Z");
    expect(isoTime(null)).toBeNull();
  });
});

describe("identifier rules (docs/paas.md, \"Identifier rules\")", () => {
  it.each(["abc", "example", "my-app-2", "a12345678901234567890".slice(0, 20)])("accepts the app code %j", (code) => {
    expect(isValidAppCode(code)).toBe(true);
  });

  it.each(["ab", "a123456789012345678901", "Example", "1app", "-app", "app-", "my--app", "a-dot-b", "a0us0b", "app-m-x", "my_app", "a/b", ""])("refuses the app code %j", (code) => {
    expect(isValidAppCode(code)).toBe(false);
  });

  it("module names follow the same rules with at most 16 characters", () => {
    expect(isValidModuleName("default")).toBe(true);
    expect(isValidModuleName("a")).toBe(true);
    expect(isValidModuleName("abcdefghijklmnop")).toBe(true);
    expect(isValidModuleName("abcdefghijklmnopq")).toBe(false);
    expect(isValidModuleName("9lives")).toBe(false);
  });

  it("environments are stag and prod only", () => {
    expect(["stag", "prod", "STAG", "qa", ""].map(isEnvName)).toEqual([true, true, false, false, false]);
  });
});
