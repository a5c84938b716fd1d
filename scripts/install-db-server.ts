import { ensureSecantusInstalled, secantusHome } from "../src/db/embedded/secantus";
import { PROJECT_ROOT } from "../src/paths";

/** `npm run db:install`: installs the embedded DB server ahead of time (.ci/run does; start and test do it lazily). */
try {
  const python = ensureSecantusInstalled(PROJECT_ROOT, (line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`SecantusDB ready in ${secantusHome(PROJECT_ROOT)} (${python})\n`);
} catch (error) {
  process.stderr.write(`procgraph: ${(error as Error).message}\n`);
  process.exit(1);
}
