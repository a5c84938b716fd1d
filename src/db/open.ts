import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { MongoServerError, MongoServerSelectionError } from "mongodb";
import { redactPassword, StartupError, type AppConfig } from "../config";
import { PROJECT_ROOT } from "../paths";
import { lockDataDir, type DataDirLock } from "./embedded/dataDir";
import { startEmbeddedServer, type EmbeddedServer, type Supervision } from "./embedded/launcher";
import { connectMongo, type MongoConnection } from "./mongo";

/**
 * Closing the client ends its sessions on the server: a frozen or unreachable server never answers,
 * and shutdown must not wait for it (the embedded server is stopped next in any case).
 */
const CLIENT_CLOSE_TIMEOUT_MS = 2_000;

export interface OpenDatabase extends MongoConnection {
  /** What runs behind the connection, for banners and logs. */
  description: string;
  /** Closes the connection, then stops the embedded server if one was started. */
  close(): Promise<void>;
}

/**
 * The database the configuration names: MONGODB_URI when set, else the embedded server with its
 * data in DATA_DIR (locked against a second procgraph). The server, the seeder and the token
 * command all open it the same way; the server passes `supervision`, so that an embedded server
 * that exits is restarted.
 */
export async function openDatabase(config: AppConfig, log: (line: string) => void = () => undefined, supervision?: Supervision): Promise<OpenDatabase> {
  let lock: DataDirLock | undefined;
  let embedded: EmbeddedServer | undefined;
  const release = async () => {
    await embedded?.stop();
    lock?.release();
  };
  try {
    if (!config.mongodbUri) {
      const storageDir = path.join(config.dataDir, "secantus");
      lock = lockDataDir(config.dataDir, storageDir);
      embedded = await startEmbeddedServer({ projectRoot: PROJECT_ROOT, storageDir, log, supervision });
    }
    const connection = await connectMongo(embedded?.uri ?? config.mongodbUri!, config.mongodbDb, {
      serverSelectionTimeoutMS: config.mongodbServerSelectionTimeoutMs,
      readPreference: config.mongodbReadPreference,
    }).catch((error: unknown) => {
      throw connectFailure(error, config) ?? error;
    });
    return {
      ...connection,
      description: embedded?.description ?? "MongoDB at MONGODB_URI",
      async close() {
        await Promise.race([connection.client.close().catch(() => undefined), delay(CLIENT_CLOSE_TIMEOUT_MS, undefined, { ref: false })]);
        await release();
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}

/** The hosts of a connection string, without credentials or options, for a message. */
function hostsOf(uri: string): string {
  return redactPassword(uri).replace(/^mongodb(\+srv)?:\/\/([^@/?]*@)?/, "").replace(/[/?].*$/, "");
}

/** Connecting at start failed for a reason the operator must fix: one line, not a stack trace. */
function connectFailure(error: unknown, config: AppConfig): StartupError | undefined {
  if (!config.mongodbUri) return undefined;
  const where = `MongoDB at ${hostsOf(config.mongodbUri)} (MONGODB_URI)`;
  if (error instanceof MongoServerSelectionError) {
    const cause = error.message.split("\n")[0];
    return new StartupError(`cannot reach ${where} within ${config.mongodbServerSelectionTimeoutMs} ms (MONGODB_SERVER_SELECTION_TIMEOUT_MS): ${cause}`);
  }
  // 18: AuthenticationFailed.
  if (error instanceof MongoServerError && error.code === 18) return new StartupError(`${where} refused the credentials in MONGODB_URI: ${error.message}`);
  return undefined;
}
