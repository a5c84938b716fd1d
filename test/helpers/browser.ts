import fs from "node:fs";
import { chromium, type Browser } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * `describe` when Debian's chromium is installed, else `describe.skip` with a stated reason; on CI
 * (CI=true) a missing browser is a failed install, not a reason to skip.
 */
export function describeWithBrowser(what: string): jest.Describe {
  const available = fs.existsSync(CHROMIUM);
  if (!available && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium package`);
  if (!available) process.stderr.write(`SKIPPED ${what}: ${CHROMIUM} not installed (apt-get install chromium)\n`);
  return available ? describe : describe.skip;
}

/** Headless chromium with nothing of its own on the network (no updates, sync or QUIC probes). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}
