import path from "node:path";
import type { AppConfig } from "../config";
import { PROJECT_ROOT } from "../paths";
import { startEmbeddedServer, type Supervision } from "./embedded/launcher";
import { connectMongo, type MongoConnection } from "./mongo";

export interface OpenDatabase extends MongoConnection {
  /** What runs behind the connection, for banners and logs. */
  description: string;
  /** Closes the connection, then stops the embedded server if one was started. */
  close(): Promise<void>;
}

/**
 * The database the configuration names: MONGODB_URI when set, else the embedded server with its
 * data in DATA_DIR. The server, the seeder and the token command all open it the same way; the
 * server passes `supervision`, so that an embedded server that exits is restarted.
 */
export async function openDatabase(config: AppConfig, log: (line: string) => void = () => undefined, supervision?: Supervision): Promise<OpenDatabase> {
  const embedded = config.mongodbUri
    ? undefined
    : await startEmbeddedServer({ projectRoot: PROJECT_ROOT, storageDir: path.join(config.dataDir, "secantus"), log, supervision });
  try {
    const connection = await connectMongo(embedded?.uri ?? config.mongodbUri!, config.mongodbDb, {
      serverSelectionTimeoutMS: config.mongodbServerSelectionTimeoutMs,
      readPreference: config.mongodbReadPreference,
    });
    return {
      ...connection,
      description: embedded?.description ?? "MongoDB at MONGODB_URI",
      async close() {
        await connection.client.close().catch(() => undefined);
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
