/** A one-line progress bar on a TTY, periodic lines otherwise (CI logs stay readable). */
export interface ProgressReporter {
  start(label: string, total: number): void;
  tick(count?: number): void;
  done(): void;
}

export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr, quiet = false): ProgressReporter {
  let label = "";
  let total = 0;
  let current = 0;
  let startedAt = 0;
  let lastDrawn = 0;
  let lastLoggedPercent = -1;

  const draw = (final = false) => {
    if (quiet) return;
    const now = Date.now();
    if (!final && now - lastDrawn < 100) return;
    lastDrawn = now;
    const ratio = total > 0 ? Math.min(current / total, 1) : 1;
    const seconds = (now - startedAt) / 1000;
    const rate = seconds > 0 ? Math.round(current / seconds) : 0;
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round(ratio * width);
      stream.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${current}/${total} ${rate}/s${final ? "\n" : ""}`);
    } else {
      const percent = Math.floor(ratio * 10) * 10;
      if (final || percent > lastLoggedPercent) {
        lastLoggedPercent = percent;
        stream.write(`${label}: ${current}/${total} (${Math.round(ratio * 100)}%, ${rate}/s, ${seconds.toFixed(1)} s)\n`);
      }
    }
  };

  return {
    start(newLabel, newTotal) {
      label = newLabel;
      total = newTotal;
      current = 0;
      startedAt = Date.now();
      lastDrawn = 0;
      lastLoggedPercent = -1;
      draw();
    },
    tick(count = 1) {
      current += count;
      draw();
    },
    done() {
      draw(true);
    },
  };
}
