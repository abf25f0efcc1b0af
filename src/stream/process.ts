import type { Store } from '../store/contract.ts';
import type { ProcessDocument } from './worker.ts';

/**
 * The worker's real work: extract a document's events and store them, in one transaction,
 * idempotently by content hash (Extraction's `storeDocument`).
 */
export function documentProcessor(_store: Store): ProcessDocument {
  return async () => {
    throw new Error('text extraction (src/ingest/text storeDocument) is not available yet');
  };
}
