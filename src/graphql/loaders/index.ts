export { DocumentLoader, DocumentListLoader, LOADER_BATCH_SIZE, withKeysFirst, type DocumentLoaderSpec, type LoaderKey } from "./documentLoader";
export { LoaderRegistry } from "./registry";
