import { MongoClient, type Db, type CommandStartedEvent, type ReadPreferenceMode } from "mongodb";

export interface MongoConnection {
  client: MongoClient;
  db: Db;
}

/**
 * One MongoClient per process. Command monitoring is always on: metrics and the tests' round-trip
 * counter both read `commandStarted`, and the cost of the event is negligible beside a network hop.
 */
export interface ConnectOptions {
  appName?: string;
  serverSelectionTimeoutMS?: number;
  readPreference?: ReadPreferenceMode;
}

export async function connectMongo(uri: string, dbName: string, options: ConnectOptions = {}): Promise<MongoConnection> {
  const client = new MongoClient(uri, {
    appName: options.appName ?? "procgraph",
    monitorCommands: true,
    // Fail fast while MongoDB is down, and notice its return within a couple of seconds.
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 3_000,
    heartbeatFrequencyMS: 2_000,
    readPreference: options.readPreference ?? "primary",
    // SecantusDB and mongo-java-server accept no stable-API declaration: leave serverApi unset.
  });
  await client.connect();
  return { client, db: client.db(dbName) };
}

export interface RecordedCommand {
  name: string;
  databaseName: string;
  /** The collection the command targets, where it names one (find, aggregate, distinct, ...). */
  collection: string | undefined;
  command: Record<string, unknown>;
}

const NON_DATA_COMMANDS = new Set(["hello", "isMaster", "ismaster", "ping", "saslStart", "saslContinue", "endSessions", "buildInfo", "killCursors"]);

/**
 * Records the data commands a client sends to one database while it is active. Tests use it to
 * assert round trips and the exact projection sent to MongoDB.
 */
export class CommandRecorder {
  readonly commands: RecordedCommand[] = [];
  private readonly listener = (event: CommandStartedEvent) => {
    if (NON_DATA_COMMANDS.has(event.commandName)) return;
    if (this.databaseName && event.databaseName !== this.databaseName) return;
    const target = event.command[event.commandName];
    this.commands.push({
      name: event.commandName,
      databaseName: event.databaseName,
      collection: typeof target === "string" ? target : undefined,
      command: event.command as Record<string, unknown>,
    });
  };

  constructor(
    private readonly client: MongoClient,
    private readonly databaseName?: string,
  ) {
    client.on("commandStarted", this.listener);
  }

  stop(): RecordedCommand[] {
    this.client.off("commandStarted", this.listener);
    return this.commands;
  }

  /** `find:cc_Process` style summary, handy in assertion messages. */
  summary(): string[] {
    return this.commands.map((c) => (c.collection ? `${c.name}:${c.collection}` : c.name));
  }
}
