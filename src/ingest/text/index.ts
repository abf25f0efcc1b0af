export { htmlToText } from './html.ts';
export { readDocuments, type TextDocument } from './read-document.ts';
export {
  documentHash,
  ingestTextPaths,
  type StoreDocumentOptions,
  type StoredDocument,
  storeDocument,
  type TextIngestSummary,
} from './store-document.ts';
