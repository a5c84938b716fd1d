import os from "node:os";

/** One row of the results table; `met` is undefined where a measure has no target. */
export interface BenchRow {
  section: string;
  measure: string;
  result: string;
  target?: string;
  met?: boolean;
  note?: string;
}

export function machineInfo(extra: Record<string, string>): Record<string, string> {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    machine: `${cpus.length} × ${cpus[0]?.model ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}`,
    node: process.version,
    ...extra,
  };
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

export function renderMarkdown(rows: readonly BenchRow[], info: Record<string, string>, datasets: readonly string[]): string {
  const lines = [
    "# procgraph benchmarks",
    "",
    "Written by `npm run bench` (scripts in `bench/`); the latest run replaces this file. Ratios are",
    "what count: each comparison runs both sides alternately in the same run and compares medians.",
    "",
    ...Object.entries(info).map(([key, value]) => `- ${key}: ${value}`),
    "",
    "Datasets:",
    "",
    ...datasets.map((d) => `- ${d}`),
    "",
    "| section | measure | result | target | met |",
    "|---|---|---|---|---|",
    ...rows.map((r) => `| ${cell(r.section)} | ${cell(r.measure)} | ${cell(r.result)}${r.note ? ` (${cell(r.note)})` : ""} | ${cell(r.target ?? "")} | ${r.met === undefined ? "" : r.met ? "yes" : "**MISSED**"} |`),
    "",
  ];
  return lines.join("\n");
}

export function renderConsole(rows: readonly BenchRow[]): string {
  const widths = [12, 58, 36, 16];
  const pad = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));
  return rows
    .map((r) => {
      const line = [pad(r.section, widths[0]), pad(r.measure, widths[1]), pad(r.result, widths[2]), pad(r.target ?? "", widths[3]), r.met === undefined ? "" : r.met ? "met" : "MISSED"].join(" ");
      return r.note ? `${line}\n${" ".repeat(widths[0] + 1)}${r.note}` : line;
    })
    .join("\n");
}
