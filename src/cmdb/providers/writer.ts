import type { Db, Document } from "mongodb";
import { CmdbCollection, type CmdbCollectionName } from "../collections";

/**
 * The only writes to bk-cmdb's collections: the demo data of the seeder (procgraph never writes to
 * a bk-cmdb database it was pointed at; docs/cmdb.md, "Demo data, seeder and indexes"). Collection
 * names carry the configured tenant prefix, as `CmdbStore.collection` reads them.
 */
export class CmdbDemoWriter {
  constructor(
    private readonly db: Db,
    private readonly prefix: string,
  ) {}

  private collection(name: CmdbCollectionName) {
    return this.db.collection(`${this.prefix}${name}`);
  }

  /** One batch of generated documents (unordered: a batch is written whole or the seed fails). */
  async insert(name: CmdbCollectionName, documents: Document[]): Promise<void> {
    await this.collection(name).insertMany(documents, { ordered: false });
  }

  /** The first bk-cmdb collection that holds documents, or undefined (a cheap estimate per collection). */
  async collectionHoldingData(): Promise<string | undefined> {
    for (const name of Object.values(CmdbCollection)) {
      if ((await this.collection(name).estimatedDocumentCount()) > 0) return `${this.prefix}${name}`;
    }
    return undefined;
  }

  /** Drops every bk-cmdb collection (`--drop`; never on a real bk-cmdb database). */
  async dropAll(): Promise<void> {
    for (const name of Object.values(CmdbCollection)) await this.collection(name).drop().catch(() => undefined);
  }
}
