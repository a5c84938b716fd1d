import "./style.css";
import { readToken, request, RequestFailed, saveToken } from "./api";
import { HealthChart, type HistoryPoint } from "./chart";
import { formatNumber, h, replace } from "./dom";
import {
  DashboardHistoryDocument,
  DashboardHostsDocument,
  DashboardOverviewDocument,
  DashboardProcessesDocument,
  DashboardSummaryOnlyDocument,
  type DashboardCountsFragment,
  type DashboardHostsQuery,
  type DashboardProcessesQuery,
  type ProcessHealthStatus,
  type ProcessOrderField,
} from "./generated/graphql";
import { LiveConnection, type ConnectionState } from "./live";
import { renderBars, renderTiles, scopeText, stateTone, type HostRow, type ProcessRow, type Viewer } from "./views";

/*
 * procgraph's ops dashboard: every number comes from this server's /graphql with the typed
 * documents of operations.graphql; live updates over graphql-ws, else polling (docs/dashboards.md).
 */

const params = new URLSearchParams(window.location.search);
/** Seconds between polls when there are no live updates (`?poll=5`; at least 1). */
const POLL_MS = Math.max(1, Number(params.get("poll")) || 10) * 1000;
const HISTORY_RANGE_MS = Number(params.get("hours") || 1) * 3_600_000;
const PAGE_SIZE = 15;
const HOST_PAGE_SIZE = 24;

const state = {
  viewer: undefined as Viewer | undefined,
  businessNames: new Map<number, string>(),
  summary: undefined as DashboardCountsFragment | undefined,
  history: [] as HistoryPoint[],
  health: "UNHEALTHY" as ProcessHealthStatus | "ALL",
  /** The table's owner filter, from a health bar: a business id or an app code. */
  owner: undefined as { business: number } | { app: string } | undefined,
  cursors: [] as Array<string | null>,
  page: undefined as DashboardProcessesQuery["processes"] | undefined,
  /** The table's order, done by the server across all pages (processes(orderBy:)). */
  sort: { field: "HEALTH" as ProcessOrderField, descending: false },
  hostState: "",
  hostCursors: [] as Array<string | null>,
  hosts: undefined as DashboardHostsQuery["cmdbHostList"] | undefined,
  connection: { mode: "connecting" } as ConnectionState,
  updatedAt: undefined as Date | undefined,
  error: "",
};

/** The table's address: a health and optionally a business or app. */
function processesHash(health: string, owner: typeof state.owner): string {
  const ownerPart = !owner ? "" : "business" in owner ? `&business=${owner.business}` : `&app=${encodeURIComponent(owner.app)}`;
  return `#processes?health=${health}${ownerPart}`;
}

// ---- layout -------------------------------------------------------------------------------------

const el = {
  connection: h("span", { class: "connection", "data-testid": "connection", role: "status" }),
  updated: h("span", { class: "updated", "data-testid": "updated" }),
  scope: h("span", { class: "scope", "data-testid": "scope" }),
  error: h("div", { class: "error-banner", "data-testid": "error", hidden: true }),
  tiles: h("section", { class: "tiles", "data-testid": "tiles", "aria-label": "totals" }),
  chart: h("div", { class: "chart", "data-testid": "chart" }),
  chartNote: h("span", { class: "panel-note" }),
  businesses: h("div", { class: "bars", "data-testid": "business-bars" }),
  apps: h("div", { class: "bars", "data-testid": "app-bars" }),
  tableTitle: h("h2", {}),
  table: h("table", { class: "grid", "data-testid": "process-table" }),
  tablePager: h("div", { class: "pager" }),
  hostsTitle: h("h2", {}),
  hosts: h("div", { class: "hosts", "data-testid": "hosts" }),
  hostsPager: h("div", { class: "pager" }),
  token: h("input", { type: "password", placeholder: "token (kept in this tab only)", autocomplete: "off", "aria-label": "access token", "data-testid": "token" }),
};

function layout(): HTMLElement {
  el.token.value = readToken();
  const tokenForm = h(
    "form",
    {
      class: "token-form",
      onSubmit: (event: Event) => {
        event.preventDefault();
        saveToken(el.token.value.trim());
        void restart();
      },
    },
    el.token,
    h("button", { type: "submit" }, "Use"),
    h("button", { type: "button", class: "secondary", onClick: () => ((el.token.value = ""), saveToken(""), void restart()) }, "Clear"),
  );
  const healthSelect = h(
    "select",
    { "aria-label": "health", "data-testid": "health-filter", onChange: (e: Event) => (window.location.hash = processesHash((e.target as HTMLSelectElement).value, state.owner)) },
    ...(["UNHEALTHY", "STOPPED", "HEALTHY", "UNKNOWN", "ALL"] as const).map((v) => h("option", { value: v }, v.toLowerCase())),
  );
  healthSelect.id = "health-filter";
  return h(
    "div",
    { class: "page" },
    h(
      "header",
      { class: "top" },
      h("h1", {}, h("span", { class: "brand" }, "procgraph"), " ops dashboard"),
      el.connection,
      el.updated,
      h("span", { class: "grow" }),
      el.scope,
      tokenForm,
    ),
    el.error,
    el.tiles,
    h(
      "div",
      { class: "columns" },
      h("section", { class: "panel chart-panel" }, h("div", { class: "panel-head" }, h("h2", {}, "Health over time"), el.chartNote), el.chart),
      h("section", { class: "panel" }, el.businesses),
      h("section", { class: "panel" }, el.apps),
    ),
    h("section", { class: "panel", id: "processes" }, h("div", { class: "panel-head" }, el.tableTitle, h("label", { class: "filter" }, "show ", healthSelect)), el.table, el.tablePager),
    h("section", { class: "panel", id: "hosts" }, h("div", { class: "panel-head" }, el.hostsTitle), el.hosts, el.hostsPager),
  );
}

// ---- rendering ----------------------------------------------------------------------------------

function renderConnection(): void {
  const c = state.connection;
  const label = c.mode === "polling" ? `polling every ${POLL_MS / 1000} s` : c.mode;
  el.connection.className = `connection mode-${c.mode}`;
  el.connection.dataset.mode = c.mode;
  replace(el.connection, h("span", { class: "dot" }), label);
  el.connection.title = c.mode === "polling" ? c.reason : c.mode === "live" ? "updates arrive over a WebSocket as they happen" : "";
  if (c.mode === "polling") el.connection.append(h("span", { class: "reason" }, c.reason));
}

function renderSummary(): void {
  const summary = state.summary;
  if (!summary) return;
  renderTiles(el.tiles, summary);
  renderBars(
    el.businesses,
    "Businesses",
    summary.byBusiness.map((b) => ({ key: `biz-${b.key}`, label: state.businessNames.get(Number(b.key)) ?? `business ${b.key}`, health: b.health, href: `#processes?health=ALL&business=${b.key}` })),
  );
  renderBars(el.apps, "Apps", summary.byApp.map((a) => ({ key: `app-${a.key}`, label: a.key, health: a.health, href: `#processes?health=ALL&app=${encodeURIComponent(a.key)}` })));
  state.updatedAt = new Date();
  el.updated.textContent = `updated ${state.updatedAt.toLocaleTimeString("en-GB")}`;
}

function renderChart(chart: HealthChart): void {
  // The history's points, and the latest summary as "now", so the line moves between samples.
  const points = [...state.history];
  if (state.summary) points.push({ time: new Date().toISOString(), ...state.summary.health });
  el.chartNote.textContent = state.history.length === 0 ? "no samples yet: procgraph samples every HEALTH_HISTORY_INTERVAL" : `last ${HISTORY_RANGE_MS >= 3_600_000 ? `${HISTORY_RANGE_MS / 3_600_000} h` : `${Math.round(HISTORY_RANGE_MS / 60_000)} min`}`;
  chart.render(points, HISTORY_RANGE_MS);
}

const owner = (row: ProcessRow) =>
  row.source === "CMDB" ? (row.cmdbBusinessId !== null && row.cmdbBusinessId !== undefined ? (state.businessNames.get(row.cmdbBusinessId) ?? `business ${row.cmdbBusinessId}`) : "—") : `${row.paasAppCode ?? "?"}${row.environmentKey ? ` · ${row.environmentKey.split("/").slice(1).join("/")}` : ""}`;

function renderTable(): void {
  const page = state.page;
  const healthLabel = state.health === "ALL" ? "All processes" : `${state.health[0]}${state.health.slice(1).toLowerCase()} processes`;
  const ownerLabel = !state.owner ? null : "business" in state.owner ? (state.businessNames.get(state.owner.business) ?? `business ${state.owner.business}`) : state.owner.app;
  replace(el.tableTitle, healthLabel, ownerLabel ? h("a", { class: "chip-filter", href: processesHash(state.health, undefined), "data-testid": "owner-filter" }, `${ownerLabel} ✕`) : null, page ? h("span", { class: "count", "data-testid": "process-count" }, formatNumber(page.totalCount)) : null);
  const select = document.getElementById("health-filter") as HTMLSelectElement | null;
  if (select) select.value = state.health;
  // The columns the server can order by have a sort button; the others are plain headings.
  const columns: Array<[ProcessOrderField | null, string, string]> = [
    ["HEALTH", "health", ""],
    ["SOURCE", "source", ""],
    ["NAME", "process", ""],
    [null, "business / app", ""],
    [null, "host IPs", ""],
    ["DESIRED", "desired", "num"],
    ["AVAILABLE", "available", "num"],
  ];
  const rows = page?.nodes ?? [];
  const sortBy = (field: ProcessOrderField) => {
    state.sort = { field, descending: state.sort.field === field ? !state.sort.descending : false };
    state.cursors = [];
    void loadTable().catch(showError);
  };
  const head = h(
    "tr",
    {},
    ...columns.map(([field, label, cls]) =>
      field === null
        ? h("th", { class: cls }, label)
        : h(
            "th",
            { class: cls, "aria-sort": state.sort.field === field ? (state.sort.descending ? "descending" : "ascending") : "none", "data-testid": `sort-${field}` },
            h("button", { type: "button", onClick: () => sortBy(field) }, label, state.sort.field === field ? (state.sort.descending ? " ▼" : " ▲") : ""),
          ),
    ),
  );
  const body = rows.map((row) =>
    h(
      "tr",
      { "data-testid": "process-row", "data-id": row.id },
      h("td", {}, h("span", { class: `badge tone-${{ HEALTHY: "good", UNHEALTHY: "bad", STOPPED: "warn", UNKNOWN: "muted" }[row.health.status]}` }, row.health.status.toLowerCase())),
      h("td", {}, h("span", { class: `source source-${row.source.toLowerCase()}` }, row.source)),
      h("td", { class: "name" }, row.name),
      h("td", {}, owner(row)),
      h("td", { class: "mono" }, row.hostIps.join(", ") || "—"),
      h("td", { class: "num" }, row.health.desired ?? "—"),
      h("td", { class: `num ${row.health.available !== null && row.health.desired !== null && (row.health.available ?? 0) < (row.health.desired ?? 0) ? "text-bad" : ""}` }, row.health.available ?? "—"),
    ),
  );
  replace(el.table, h("thead", {}, head), h("tbody", {}, ...body, rows.length === 0 ? h("tr", {}, h("td", { colspan: columns.length, class: "empty" }, page ? "none: all clear" : "loading…")) : null));
  pager(el.tablePager, state.cursors, page?.pageInfo, PAGE_SIZE, page?.totalCount ?? 0, (cursors) => {
    state.cursors = cursors;
    void loadTable();
  });
}

function pager(target: HTMLElement, cursors: Array<string | null>, info: { endCursor?: string | null; hasNextPage: boolean } | undefined, size: number, total: number, go: (cursors: Array<string | null>) => void, note = ""): void {
  const pageNo = cursors.length + 1;
  replace(
    target,
    h("button", { type: "button", disabled: cursors.length === 0, onClick: () => go(cursors.slice(0, -1)) }, "‹ previous"),
    h("span", {}, `page ${pageNo} of ${Math.max(1, Math.ceil(total / size))}`),
    h("button", { type: "button", disabled: !info?.hasNextPage, "data-testid": "next-page", onClick: () => info?.endCursor && go([...cursors, info.endCursor]) }, "next ›"),
    note ? h("span", { class: "panel-note" }, note) : null,
  );
}

function renderHosts(): void {
  const hosts = state.hosts;
  replace(el.hostsTitle, "Hosts and the PaaS instances on them", hosts ? h("span", { class: "count" }, formatNumber(hosts.totalCount)) : null, state.hostState ? h("a", { class: "chip-filter", href: "#hosts" }, `state ${state.hostState} ✕`) : null);
  const visible = (hosts?.nodes ?? []).filter((host) => !state.hostState || host.paasInstances.some((i) => i.state === state.hostState));
  replace(
    el.hosts,
    ...visible.map((host: HostRow) =>
      h(
        "div",
        { class: "host", "data-testid": "host" },
        h("div", { class: "host-head" }, h("b", {}, host.bkHostName ?? `host ${host.bkHostId}`), h("span", { class: "mono" }, (host.bkHostInnerip ?? []).join(", "))),
        h("div", { class: "host-meta" }, `${host.processes.length} CMDB process${host.processes.length === 1 ? "" : "es"} · ${host.paasInstances.length} PaaS instance${host.paasInstances.length === 1 ? "" : "s"}`),
        h(
          "div",
          { class: "chips" },
          ...host.paasInstances.map((instance) =>
            h("span", { class: `chip tone-${stateTone(instance.state)} ${state.hostState && instance.state === state.hostState ? "chip-hit" : ""}`, title: `${instance.environment.key} · ${instance.name} · ${instance.state}` }, `${instance.environment.key.split("/")[0]} · ${instance.state}`),
          ),
        ),
      ),
    ),
    visible.length === 0 ? h("p", { class: "empty" }, hosts ? "no host on this page matches" : "loading…") : null,
  );
  pager(el.hostsPager, state.hostCursors, hosts?.pageInfo, HOST_PAGE_SIZE, hosts?.totalCount ?? 0, (cursors) => {
    state.hostCursors = cursors;
    void loadHosts();
  });
}

// ---- loading ------------------------------------------------------------------------------------

function showError(error: unknown): void {
  const message = error instanceof RequestFailed ? `${error.message}${error.code ? ` (${error.code})` : ""}` : error instanceof Error ? error.message : String(error);
  el.error.hidden = false;
  el.error.textContent = error instanceof RequestFailed && error.code === "UNAUTHENTICATED" ? `${message}: enter a token above` : message;
}

const clearError = () => {
  el.error.hidden = true;
};

async function loadOverview(): Promise<void> {
  const data = await request(DashboardOverviewDocument);
  state.viewer = data.viewer;
  state.businessNames = new Map(data.cmdbBusinessList.nodes.map((b) => [b.bkBizId, b.bkBizName ?? `business ${b.bkBizId}`]));
  el.scope.textContent = scopeText(data.viewer);
  el.scope.title = `procgraph ${data.procgraph.version}: you see ${scopeText(data.viewer)}`;
  state.summary = data.dashboardSummary;
  renderSummary();
}

async function loadSummary(): Promise<void> {
  state.summary = (await request(DashboardSummaryOnlyDocument)).dashboardSummary;
  renderSummary();
}

/** Only the newest table request is shown: an answer for an older order or page is dropped. */
let tableRequest = 0;

async function loadTable(): Promise<void> {
  const requestNo = (tableRequest += 1);
  const filter = {
    ...(state.health === "ALL" ? {} : { health: state.health }),
    ...(state.owner && "business" in state.owner ? { cmdbBusinessId: state.owner.business } : {}),
    ...(state.owner && "app" in state.owner ? { paasAppCode: state.owner.app } : {}),
  };
  const orderBy = { field: state.sort.field, direction: state.sort.descending ? ("DESC" as const) : ("ASC" as const) };
  const page = (await request(DashboardProcessesDocument, { filter, first: PAGE_SIZE, after: state.cursors.at(-1) ?? null, orderBy })).processes;
  if (requestNo !== tableRequest) return;
  state.page = page;
  renderTable();
}

async function loadHosts(): Promise<void> {
  state.hosts = (await request(DashboardHostsDocument, { first: HOST_PAGE_SIZE, after: state.hostCursors.at(-1) ?? null })).cmdbHostList;
  renderHosts();
}

async function loadHistory(chart: HealthChart): Promise<void> {
  const to = new Date();
  state.history = (await request(DashboardHistoryDocument, { from: new Date(to.getTime() - HISTORY_RANGE_MS).toISOString(), to: to.toISOString() })).healthHistory;
  renderChart(chart);
}

function route(): void {
  const [anchor, query = ""] = window.location.hash.slice(1).split("?");
  const q = new URLSearchParams(query);
  if (anchor === "processes") {
    const health = (q.get("health") ?? "UNHEALTHY").toUpperCase();
    const business = Number(q.get("business"));
    const owner = q.get("app") ? { app: q.get("app")! } : Number.isSafeInteger(business) && business > 0 ? { business } : undefined;
    const ownerChanged = JSON.stringify(owner) !== JSON.stringify(state.owner);
    if (["UNHEALTHY", "STOPPED", "HEALTHY", "UNKNOWN", "ALL"].includes(health) && (health !== state.health || ownerChanged)) {
      state.health = health as typeof state.health;
      state.owner = owner;
      state.cursors = [];
      void loadTable().catch(showError);
    }
  }
  if (anchor === "hosts") {
    state.hostState = q.get("state") ?? "";
    renderHosts();
  }
  document.getElementById(anchor)?.scrollIntoView({ behavior: "smooth", block: "start" });
}

// ---- polling and live ---------------------------------------------------------------------------

let chart: HealthChart;
let pollTimer: number | undefined;
let tableRefresh: number | undefined;
let historyTimer: number | undefined;

async function refreshAll(withOverview = false): Promise<void> {
  try {
    await Promise.all([withOverview ? loadOverview() : loadSummary(), loadTable(), loadHosts()]);
    renderChart(chart);
    clearError();
  } catch (error) {
    showError(error);
  }
}

function schedulePoll(): void {
  window.clearTimeout(pollTimer);
  if (state.connection.mode === "live") return;
  pollTimer = window.setTimeout(async () => {
    await refreshAll();
    schedulePoll();
  }, POLL_MS);
}

const live = new LiveConnection({
  onSummary: (summary) => {
    state.summary = summary;
    renderSummary();
    renderChart(chart);
  },
  // A burst of process events refreshes the table once.
  onProcessEvent: () => {
    window.clearTimeout(tableRefresh);
    tableRefresh = window.setTimeout(() => void Promise.all([loadTable(), loadHosts()]).catch(showError), 500);
  },
  onState: (connection) => {
    state.connection = connection;
    renderConnection();
    // Polling goes on while (re)connecting, so the page never stands still.
    schedulePoll();
  },
});

async function restart(): Promise<void> {
  // A new token: the old connection's updates are another scope's.
  live.stop();
  state.cursors = [];
  state.hostCursors = [];
  await refreshAll(true);
  await loadHistory(chart).catch(showError);
  live.start();
}

function main(): void {
  const root = document.getElementById("app")!;
  replace(root, layout());
  chart = new HealthChart(el.chart);
  renderConnection();
  renderTable();
  renderHosts();
  window.addEventListener("hashchange", route);
  route();
  void restart();
  // The history's samples come every HEALTH_HISTORY_INTERVAL: re-read it every minute.
  historyTimer = window.setInterval(() => void loadHistory(chart).catch(showError), 60_000);
  window.addEventListener("pagehide", () => {
    window.clearInterval(historyTimer);
    live.stop();
  });
}

main();
