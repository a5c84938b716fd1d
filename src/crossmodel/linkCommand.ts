import type { Db } from "mongodb";
import { parseCmdbKey } from "../cmdb/nodes";
import { isValidAppCode } from "../paas/ids";
import { ensureCrossModelIndexes } from "./indexes";
import { CrossModelStore } from "./providers/store";

export const LINK_USAGE =
  "usage: npm run link -- set APP_CODE BK_BIZ_ID   (link a PaaS app to a CMDB business; replaces its link)\n" +
  "       npm run link -- remove APP_CODE\n" +
  "       npm run link -- list";

export class LinkUsageError extends Error {
  override name = "LinkUsageError";
}

function appCode(value: string | undefined): string {
  if (!value || !isValidAppCode(value)) throw new LinkUsageError(`not a PaaS app code: ${value ?? "(none)"}`);
  return value;
}

/** Runs one link command against the database; returns what to print. */
export async function runLinkCommand(db: Db, argv: string[]): Promise<string> {
  const [command, ...args] = argv;
  const links = CrossModelStore.forDatabase(db);
  switch (command) {
    case "set": {
      if (args.length !== 2) throw new LinkUsageError("set takes APP_CODE BK_BIZ_ID");
      const code = appCode(args[0]);
      // A business id is a CMDB key, and 0 is no business.
      const bizId = parseCmdbKey(args[1]);
      if (!bizId) throw new LinkUsageError(`not a business id: ${args[1]}`);
      await ensureCrossModelIndexes({ db });
      await links.setLink(code, bizId);
      return `linked app ${code} to business ${bizId}`;
    }
    case "remove": {
      if (args.length !== 1) throw new LinkUsageError("remove takes APP_CODE");
      const code = appCode(args[0]);
      if (!(await links.removeLink(code))) throw new LinkUsageError(`app ${code} has no link`);
      return `removed the link of app ${code}`;
    }
    case "list": {
      if (args.length !== 0) throw new LinkUsageError("list takes no arguments");
      const all = await links.listLinks();
      if (all.length === 0) return "no app-business links";
      return all.map((link) => `${link._id}\t${link.bk_biz_id}`).join("\n");
    }
    default:
      throw new LinkUsageError(command ? `unknown command ${command}` : "a command is required");
  }
}
