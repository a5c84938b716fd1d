export { DocumentLoader, DocumentListLoader, ProjectedLoader, type BatchObserver, type DocumentLoaderSpec, type LoaderKey } from "./documentLoader";
export { LoaderRegistry } from "./registry";
