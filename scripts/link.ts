import "reflect-metadata";
import { runDatabaseCommand } from "../src/db/command";
import { LINK_USAGE, LinkUsageError, runLinkCommand } from "../src/crossmodel/linkCommand";

/** `npm run link -- …`: the PaaS app ↔ CMDB business links in procgraph_app_business_links. */
runDatabaseCommand("link", LINK_USAGE, (error) => error instanceof LinkUsageError, runLinkCommand);
