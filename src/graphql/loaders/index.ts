export { DocumentLoader, DocumentListLoader, type DocumentLoaderSpec, type LoaderKey } from "./documentLoader";
export { LoaderRegistry } from "./registry";
