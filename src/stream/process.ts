import { Gazetteer } from '../extract/places/gazetteer.ts';
import { storeDocument, type TextDocument } from '../ingest/text/index.ts';
import { ActorRegistry } from '../resolve/actor-registry.ts';
import type { Store } from '../store/contract.ts';
import type { ProcessDocument } from './worker.ts';

/**
 * The worker's real work: Extraction's `storeDocument`, which extracts a document's events and
 * stores them idempotently by content hash, with the gazetteer (and places learned in the store)
 * and the actor registry loaded once per worker, as `sitrep ingest --format text` does.
 */
export async function documentProcessor(store: Store): Promise<ProcessDocument> {
  const [gazetteer, actors] = await Promise.all([Gazetteer.fromStore(store), ActorRegistry.fromStore(store)]);
  return async (document) => {
    // Extraction dates relative mentions from the publication day; a feed's timestamp is more than it needs.
    const text: TextDocument = { text: document.text, published: document.published.slice(0, 10) };
    if (document.id) text.id = document.id;
    if (document.source) text.source = document.source;
    if (document.url) text.url = document.url;
    if (document.title) text.title = document.title;
    const { events, documentId } = await storeDocument(store, text, { gazetteer, actors });
    return { events, documentId };
  };
}
