export { htmlToText } from './html.ts';
export { readDocuments, type TextDocument } from './read-document.ts';
export { PART_CHARS, splitText, type TextPart } from './split-text.ts';
export {
  documentHash,
  ingestTextPaths,
  type StoreDocumentOptions,
  type StoredDocument,
  storeDocument,
  type TextIngestSummary,
} from './store-document.ts';
