import type { Collection, Document, Filter, FindCursor, FindOptions } from "mongodb";
import { decodeDocument } from "./bsonDecode";

/**
 * `collection.find(filter, options)` with the documents decoded by procgraph's decoder
 * (src/db/bsonDecode.ts) instead of the driver's: the driver hands over each document's bytes
 * (`raw`), which also spares its command monitoring a decode of every reply it would throw away
 * (docs/architecture.md, "Reading documents").
 */
export function findDecoded<T extends Document = Document>(collection: Collection<any>, filter: Filter<Document>, options: FindOptions = {}): FindCursor<T> {
  return (collection.find(filter, { ...options, raw: true }) as unknown as FindCursor<Uint8Array>).map((bytes) => decodeDocument(bytes) as T);
}
