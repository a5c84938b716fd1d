import { MongoServerError, type Db } from "mongodb";
import { APP_BUSINESS_LINKS, HEALTH_HISTORY } from "./collections";

const TTL_INDEX = "time_ttl";

/** The links' index: the apps of a business in code order. */
export async function ensureCrossModelIndexes(deps: { db: Db }): Promise<void> {
  await deps.db.collection(APP_BUSINESS_LINKS).createIndexes([{ key: { bk_biz_id: 1, _id: 1 }, name: "bk_biz_id_1__id_1" }]);
}

/**
 * The TTL index that expires health samples after the retention. A retention changed since the
 * index was made is applied by making the index again (MongoDB refuses a second index on the same key).
 */
export async function ensureHealthHistoryIndexes(db: Db, retentionMs: number): Promise<void> {
  const collection = db.collection(HEALTH_HISTORY);
  const expireAfterSeconds = Math.ceil(retentionMs / 1000);
  const existing = await collection
    .listIndexes()
    .toArray()
    .catch((error: unknown) => {
      if (error instanceof MongoServerError && error.codeName === "NamespaceNotFound") return [];
      throw error;
    });
  const ttl = existing.find((index) => index.name === TTL_INDEX);
  if (ttl && ttl.expireAfterSeconds !== expireAfterSeconds) await collection.dropIndex(TTL_INDEX);
  if (!ttl || ttl.expireAfterSeconds !== expireAfterSeconds) {
    await collection.createIndex({ time: 1 }, { name: TTL_INDEX, expireAfterSeconds });
  }
}
