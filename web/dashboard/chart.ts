import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { DashboardHistoryQuery } from "./generated/graphql";

export type HistoryPoint = DashboardHistoryQuery["healthHistory"][number];

const SERIES = [
  { key: "healthy", label: "healthy", color: "#3fb950" },
  { key: "unhealthy", label: "unhealthy", color: "#f85149" },
  { key: "stopped", label: "stopped", color: "#d29922" },
  // CMDB processes have no live state: their line would only set the scale. Click the legend to show it.
  { key: "unknown", label: "unknown (CMDB)", color: "#8b949e", show: false },
] as const;

/** Process health over time: one line per health state, from healthHistory plus the latest summary. */
export class HealthChart {
  private plot: uPlot | undefined;
  /** The time axis always spans the whole range asked for (seconds), however few points there are. */
  private window: [number, number] = [0, 1];
  private readonly resize = new ResizeObserver(() => this.fit());

  constructor(private readonly container: HTMLElement) {
    this.resize.observe(container);
  }

  private size() {
    return { width: Math.max(320, this.container.clientWidth), height: Math.max(180, this.container.clientHeight || 260) };
  }

  private fit() {
    this.plot?.setSize(this.size());
  }

  render(points: HistoryPoint[], rangeMs: number): void {
    const now = Date.now() / 1000;
    this.window = [now - rangeMs / 1000, now];
    const sorted = [...points].sort((a, b) => a.time.localeCompare(b.time));
    const data: uPlot.AlignedData = [sorted.map((p) => Date.parse(p.time) / 1000), ...SERIES.map((s) => sorted.map((p) => p[s.key]))];
    if (this.plot) {
      this.plot.setData(data);
      return;
    }
    const axis = { stroke: "#c9d1d9", grid: { stroke: "rgba(201,209,217,0.12)" }, ticks: { stroke: "rgba(201,209,217,0.25)" }, font: "14px system-ui, sans-serif" };
    this.plot = new uPlot(
      {
        ...this.size(),
        cursor: { drag: { x: false, y: false } },
        legend: { show: true },
        scales: { x: { time: true, range: () => this.window }, y: { range: (_u, _min, max) => [0, Math.max(1, Math.ceil(max * 1.1))] } },
        // Wider label spacing than uPlot's default: the labels are larger, for wall screens.
        axes: [{ ...axis, space: 90 }, { ...axis, size: 56 }],
        series: [{ label: "time" }, ...SERIES.map((s) => ({ label: s.label, stroke: s.color, width: 2.5, show: !("show" in s) || s.show, points: { show: sorted.length < 40 } }))],
      },
      data,
      this.container,
    );
  }
}
