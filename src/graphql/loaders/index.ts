export { DocumentLoader, DocumentListLoader, LOADER_BATCH_SIZE, type DocumentLoaderSpec, type LoaderKey } from "./documentLoader";
export { LoaderRegistry } from "./registry";
