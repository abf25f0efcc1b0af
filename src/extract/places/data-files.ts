import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { GeoJsonGeometry } from './geometry.ts';

/** data/gazetteer in the repository: the committed boundaries, alias table and curated places. */
export const GAZETTEER_DIR = fileURLToPath(new URL('../../../data/gazetteer/', import.meta.url));

function readData(name: string): string {
  try {
    return readFileSync(GAZETTEER_DIR + name, 'utf8');
  } catch (error) {
    throw new Error(`cannot read gazetteer data ${GAZETTEER_DIR}${name}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

const AdminAliasFile = z.object({
  admin1: z.array(
    z.object({ name: z.string(), aliases: z.array(z.string()), successors: z.array(z.string()).optional() }),
  ),
  admin2: z.array(
    z.object({
      name: z.string(),
      admin1: z.string(),
      polygon: z.string(),
      aliases: z.array(z.string()),
      successors: z.array(z.string()).optional(),
    }),
  ),
});
export type AdminAliasFile = z.infer<typeof AdminAliasFile>;

export function readAdminAliases(): AdminAliasFile {
  const parsed = AdminAliasFile.safeParse(JSON.parse(readData('admin-aliases.json')));
  if (!parsed.success) throw new Error(`data/gazetteer/admin-aliases.json: ${parsed.error.message}`);
  return parsed.data;
}

const FeatureCollection = z.object({
  features: z.array(
    z.object({
      properties: z.record(z.string(), z.unknown()),
      geometry: z.object({ type: z.string(), coordinates: z.unknown() }),
    }),
  ),
});

export interface BoundaryFeature {
  properties: Record<string, unknown>;
  geometry: GeoJsonGeometry;
}

export function readBoundaries(
  name: 'pakistan-districts.geojson' | 'pakistan-provinces.geojson',
): BoundaryFeature[] {
  const parsed = FeatureCollection.safeParse(JSON.parse(readData(name)));
  if (!parsed.success) throw new Error(`data/gazetteer/${name}: ${parsed.error.message}`);
  return parsed.data.features as BoundaryFeature[];
}

/** Non-comment, non-empty lines of a committed text file, split on tabs. */
export function readTable(name: string): string[][] {
  const rows: string[][] = [];
  for (const line of readData(name).split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    rows.push(line.split('\t').map((cell) => cell.trim()));
  }
  return rows;
}
