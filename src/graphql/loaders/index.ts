export { DocumentLoader, DocumentListLoader, LOADER_BATCH_SIZE, ProjectedLoader, withKeysFirst, type BatchObserver, type DocumentLoaderSpec, type LoaderKey } from "./documentLoader";
export { loadByGroup } from "./byGroup";
export { LoaderRegistry } from "./registry";
