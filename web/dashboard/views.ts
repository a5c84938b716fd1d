import { formatNumber, h, replace } from "./dom";
import type { DashboardCountsFragment, DashboardHealthFragment, DashboardHostsQuery, DashboardOverviewQuery, DashboardProcessesQuery, ProcessHealthStatus } from "./generated/graphql";

export type Viewer = DashboardOverviewQuery["viewer"];
export type ProcessRow = DashboardProcessesQuery["processes"]["nodes"][number];
export type HostRow = DashboardHostsQuery["cmdbHostList"]["nodes"][number];

const HEALTH_TILES: Array<{ field: keyof DashboardHealthFragment; label: string; health: ProcessHealthStatus | "ALL"; tone: string }> = [
  { field: "total", label: "Processes", health: "ALL", tone: "neutral" },
  { field: "healthy", label: "Healthy", health: "HEALTHY", tone: "good" },
  { field: "unhealthy", label: "Unhealthy", health: "UNHEALTHY", tone: "bad" },
  { field: "stopped", label: "Stopped", health: "STOPPED", tone: "warn" },
  { field: "unknown", label: "Unknown (CMDB)", health: "UNKNOWN", tone: "muted" },
];

const STATE_TONE: Record<string, string> = { Running: "good", Starting: "warn", Pending: "warn", Failed: "bad", Unknown: "muted", Succeeded: "neutral" };
export const stateTone = (state: string) => STATE_TONE[state] ?? (/fail|crash|error|backoff/i.test(state) ? "bad" : "neutral");

/** The tiles: process health (each opens the process table filtered to it) and instances by state (each opens the host view). */
export function renderTiles(target: Element, summary: DashboardCountsFragment): void {
  const tile = (label: string, value: number, tone: string, href: string, testId: string, note?: string) =>
    h("a", { class: `tile tone-${tone}`, href, "data-testid": testId }, h("span", { class: "tile-label" }, label), h("span", { class: "tile-value" }, formatNumber(value)), note ? h("span", { class: "tile-note" }, note) : null);
  const processTiles = HEALTH_TILES.map((t) =>
    tile(t.label, summary.health[t.field], t.field === "unhealthy" && summary.health.unhealthy === 0 ? "good" : t.tone, `#processes?health=${t.health}`, `tile-${t.field}`,
      t.field === "total" ? `${formatNumber(summary.cmdbProcessCount)} CMDB · ${formatNumber(summary.paasProcessCount)} PaaS` : undefined),
  );
  const instanceTiles = [
    tile("Instances", summary.paasInstanceCount, "neutral", "#hosts", "tile-instances", "PaaS, all states"),
    ...summary.instancesByState.map((s) => tile(s.key ?? "no state", s.count, stateTone(s.key ?? ""), `#hosts?state=${encodeURIComponent(s.key ?? "")}`, `tile-state-${s.key ?? "none"}`)),
  ];
  replace(target, h("div", { class: "tile-row" }, ...processTiles), h("div", { class: "tile-row tile-row-instances" }, ...instanceTiles));
}

/** One stacked bar per business or app: healthy / unhealthy / stopped / unknown, widths by share. */
export function renderBars(target: Element, title: string, rows: Array<{ key: string; label: string; health: DashboardHealthFragment; href: string }>): void {
  const parts: Array<[keyof DashboardHealthFragment, string]> = [
    ["unhealthy", "bad"],
    ["stopped", "warn"],
    ["healthy", "good"],
    ["unknown", "muted"],
  ];
  const sorted = [...rows].sort((a, b) => b.health.unhealthy - a.health.unhealthy || b.health.stopped - a.health.stopped || a.label.localeCompare(b.label));
  replace(
    target,
    h("h2", {}, title),
    sorted.length === 0 ? h("p", { class: "empty" }, "nothing in your scope") : null,
    ...sorted.map((row) =>
      h(
        "a",
        { class: "bar-row", href: row.href, "data-testid": `bar-${row.key}`, title: parts.map(([f]) => `${f} ${row.health[f]}`).join(" · ") },
        h("span", { class: "bar-label" }, row.label),
        h(
          "span",
          { class: "bar" },
          ...parts.map(([field, tone]) => (row.health[field] > 0 ? h("span", { class: `bar-part tone-${tone}`, style: { flexGrow: String(row.health[field]) } }) : null)),
        ),
        h("span", { class: "bar-figures" }, row.health.unhealthy > 0 ? h("b", { class: "text-bad" }, `${row.health.unhealthy} unhealthy`) : h("span", { class: "text-good" }, "ok"), ` / ${formatNumber(row.health.total)}`),
      ),
    ),
  );
}

export function scopeText(viewer: Viewer): string {
  const list = (values: ReadonlyArray<string | number> | null | undefined, noun: string) => (values === null || values === undefined ? `all ${noun}` : values.length === 0 ? `no ${noun}` : `${noun} ${values.join(", ")}`);
  return `${viewer.anonymous ? "anonymous" : viewer.principal} · ${list(viewer.cmdbBusinesses, "businesses")} · ${list(viewer.paasApps, "apps")}`;
}
