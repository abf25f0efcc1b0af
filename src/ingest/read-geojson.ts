import { type DecodeProgress, decodeFile } from './decode.ts';
import { IngestError, type SourceRow } from './importer.ts';

export interface GeoJsonRow {
  /** Line the feature starts on. */
  line: number;
  /** The feature's properties, with `latitude`/`longitude` from a Point geometry when absent. */
  row: SourceRow;
}

interface Feature {
  properties?: Record<string, unknown> | null;
  geometry?: { type?: string; coordinates?: unknown } | null;
}

/**
 * The features of a GeoJSON FeatureCollection one at a time, without parsing the whole document:
 * a small scanner tracks strings and nesting, cuts out each object of the top-level `features`
 * array and JSON.parses only that. Memory is bounded by the largest single feature.
 */
export async function* readGeoJson(
  path: string,
  displayName: string,
  onBytes?: DecodeProgress,
): AsyncGenerator<GeoJsonRow, void, undefined> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let line = 1;
  // the last string at depth 1 and whether it was a key: finds `"features": [`
  let topString = '';
  let capturingTopString = false;
  let topKey = '';
  let featuresDepth = -1;
  let sawFeatures = false;
  let pieces: string[] = [];
  let featureStart = -1;
  let featureLine = 0;
  for await (const chunk of decodeFile(path, displayName, 'utf-8', onBytes)) {
    let sliceFrom = featureStart >= 0 ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10) line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 92) escaped = true;
        else if (c === 34) {
          inString = false;
          if (capturingTopString) capturingTopString = false;
        } else if (capturingTopString && topString.length < 32) topString += chunk[i];
        continue;
      }
      if (c === 34) {
        inString = true;
        if (depth === 1) {
          capturingTopString = true;
          topString = '';
        }
      } else if (c === 58 && depth === 1) {
        topKey = topString;
      } else if (c === 123 || c === 91) {
        if (depth === 0 && c === 91)
          throw new IngestError(`${displayName}:${line}: a JSON array, not a GeoJSON FeatureCollection`);
        depth++;
        if (c === 91 && depth === 2 && topKey === 'features') {
          featuresDepth = depth;
          sawFeatures = true;
        } else if (c === 123 && depth === featuresDepth + 1 && featuresDepth > 0) {
          featureStart = i;
          sliceFrom = i;
          featureLine = line;
          pieces = [];
        }
      } else if (c === 125 || c === 93) {
        depth--;
        if (c === 125 && featuresDepth > 0 && depth === featuresDepth && featureStart >= 0) {
          pieces.push(chunk.slice(sliceFrom, i + 1));
          featureStart = -1;
          sliceFrom = -1;
          yield { line: featureLine, row: featureRow(pieces.join(''), displayName, featureLine) };
          pieces = [];
        } else if (c === 93 && depth === 1 && featuresDepth === 2) {
          featuresDepth = -1;
        }
      }
    }
    if (featureStart >= 0 && sliceFrom >= 0) pieces.push(chunk.slice(sliceFrom));
  }
  if (!sawFeatures)
    throw new IngestError(`${displayName}: not a GeoJSON FeatureCollection (no "features" array)`);
  if (depth !== 0 || inString)
    throw new IngestError(`${displayName}:${line}: malformed JSON: the document ends early`);
}

function featureRow(json: string, displayName: string, line: number): SourceRow {
  let feature: Feature;
  try {
    feature = JSON.parse(json) as Feature;
  } catch (cause) {
    throw new IngestError(`${displayName}:${line}: malformed JSON feature: ${(cause as Error).message}`, {
      cause,
    });
  }
  const row: SourceRow = { ...(feature.properties ?? {}) };
  const coordinates = feature.geometry?.type === 'Point' ? feature.geometry.coordinates : null;
  if (Array.isArray(coordinates) && coordinates.length >= 2) {
    row.longitude ??= coordinates[0];
    row.latitude ??= coordinates[1];
  }
  return row;
}
