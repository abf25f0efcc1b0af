import {
  ALIAS_COUNTRY,
  adminLookupForms,
  canonicalAdmin1,
  canonicalAdmin2,
} from '../extract/places/admin-names.ts';
import { TOKEN_VARIANTS } from '../extract/places/normalise.ts';
import type { Queryable } from '../store/contract.ts';

/**
 * The ACLED SQL path's `admin1`/`admin2`: what `canonicalEventAdmin` (src/extract/places/admin-names.ts)
 * makes of them on the JavaScript path, in DuckDB SQL, so a file gives the same stored names either way.
 *
 * Two small temporary tables hold every form the alias table looks a name up by (its names as written
 * and their `placeKey`s), each with the JavaScript function's answer for it (admin2 once per province,
 * which breaks ties between same-named districts). A Pakistani row's name is joined on its text as
 * written first; only a name not found so (a district spelled "Bajaur  Agency", "South waziristan") has its
 * `placeKey` computed in SQL, then the key of the name without "District"/"Division"/"Tehsil" — the
 * order `canonicalAdmin1/2` tries them in. A name still not found keeps its text, whitespace collapsed.
 *
 * The SQL key is `placeKey` for printable-ASCII names only; Pakistani rows whose admin names have other
 * characters are left to `toEvent` (`adminNamesClean`), so the two paths cannot disagree on accents.
 */
export interface AdminNamesSql {
  /** LEFT JOINs to append after the row source (and after the join that gives `country`). */
  joins: string;
  admin1: string;
  admin2: string;
}

/** JavaScript's `\s` over ASCII, as an RE2 class (RE2's own `\s` lacks the vertical tab). */
const WS = '[\\t\\n\\x0b\\f\\r ]';
const VARIANTS = [...TOKEN_VARIANTS.keys()].join('|');
const VARIANT_TARGETS = new Set(TOKEN_VARIANTS.values());
if (VARIANT_TARGETS.size !== 1) throw new Error('admin-names-sql: token variants fold to one token each');
const FOLDED = [...VARIANT_TARGETS][0];

/** `placeKey(x)` for a printable-ASCII `x`. */
export function placeKeySql(x: string): string {
  const lowered = `regexp_replace(regexp_replace(lower(${x}), '[''\`]s\\b', '', 'g'), '[''\`]', '', 'g')`;
  const spaced = `' ' || regexp_replace(${lowered}, '[^a-z0-9]+', ' ', 'g') || ' '`;
  // Two passes: a match consumes the space it shares with the next token.
  const fold = (s: string) => `regexp_replace(${s}, ' (${VARIANTS}) ', ' ${FOLDED} ', 'g')`;
  return `trim(${fold(fold(spaced))})`;
}

/** `stripAdminWords(x)` of admin-names.ts for an ASCII `x` (before its key is taken, so untrimmed). */
const stripAdminWordsSql = (x: string) =>
  `regexp_replace(regexp_replace(${x}, '(?i)^${WS}*district${WS}+(of${WS}+)?', ''), '(?i)${WS}+(district|division|tehsil)${WS}*$', '')`;

const collapseSql = (x: string) => `regexp_replace(${x}, '${WS}+', ' ', 'g')`;

const isAscii = (x: string) => `COALESCE(strlen(${x}) = length(${x}), true)`;

/**
 * The rows the SQL may map as far as admin names go: all but those that may be Pakistani and whose
 * admin1/admin2 has a character outside ASCII (`toEvent` maps those). Without a `country` column a row's
 * country comes from the gazetteer later, so every row may be Pakistani.
 */
export function adminNamesClean(countryColumn: string | null): string {
  const plain = `(${isAscii('t_admin1')} AND ${isAscii('t_admin2')})`;
  return countryColumn ? `(COALESCE(${countryColumn} <> '${ALIAS_COUNTRY}', false) OR ${plain})` : plain;
}

async function insertRows(db: Queryable, table: string, rows: string[][]): Promise<void> {
  const width = rows[0]?.length ?? 0;
  for (let i = 0; i < rows.length; i += 500) {
    const part = rows.slice(i, i + 500);
    const values = part.map((_, j) => `(${part[0]?.map((__, k) => `$${j * width + k + 1}`).join(', ')})`);
    await db.query(`INSERT INTO ${table} VALUES ${values.join(', ')}`, part.flat());
  }
}

/**
 * Creates the two lookup tables (named with `suffix`, on the import's connection) and returns the joins
 * and the two column expressions over `t_admin1`, `t_admin2` and `country` (an SQL expression).
 */
export async function adminNamesSql(db: Queryable, suffix: string, country: string): Promise<AdminNamesSql> {
  const names1 = `admin1_names_${suffix}`;
  const names2 = `admin2_names_${suffix}`;
  const forms = adminLookupForms();
  await db.query(`CREATE TEMP TABLE ${names1} (form VARCHAR PRIMARY KEY, canonical VARCHAR)`);
  await insertRows(
    db,
    names1,
    forms.admin1.map((f) => [f, canonicalAdmin1(f) ?? f]),
  );
  // '' stands for "no admin1" (then the first district of that name, as canonicalAdmin2 picks it).
  await db.query(
    `CREATE TEMP TABLE ${names2} (form VARCHAR, province VARCHAR, canonical VARCHAR, PRIMARY KEY (form, province))`,
  );
  await insertRows(
    db,
    names2,
    forms.admin2.flatMap((f) =>
      ['', ...forms.provinces].map((p) => [f, p, canonicalAdmin2(f, p || null) ?? f]),
    ),
  );

  const pak = `(${country} = '${ALIAS_COUNTRY}')`;
  const lookups = (column: string, table: string, alias: string, extra: (a: string) => string) => {
    const t = `t_${column}`;
    const probes = [t, placeKeySql(t), placeKeySql(stripAdminWordsSql(t))];
    const joins = probes.map((probe, i) => {
      const missed = probes
        .slice(0, i)
        .map((_, j) => ` AND ${alias}${j}.form IS NULL`)
        .join('');
      return `LEFT JOIN ${table} ${alias}${i} ON ${alias}${i}.form = CASE WHEN ${pak}${missed} THEN ${probe} END${extra(`${alias}${i}`)}`;
    });
    const found = `COALESCE(${probes.map((_, i) => `${alias}${i}.canonical`).join(', ')})`;
    return { joins, found };
  };
  const one = lookups('admin1', names1, 'an1_', () => '');
  // The row's province as the table knows it; NULL (nothing matches) for a province it does not know.
  const province = `CASE WHEN t_admin1 IS NULL THEN '' ELSE ${one.found} END`;
  const two = lookups('admin2', names2, 'an2_', (a) => ` AND ${a}.province = ${province}`);
  const column = (c: string, found: string) =>
    `CASE WHEN ${pak} AND t_${c} IS NOT NULL THEN COALESCE(${found}, ${collapseSql(`t_${c}`)}) ELSE t_${c} END`;
  return {
    joins: [...one.joins, ...two.joins].join('\n       '),
    admin1: column('admin1', one.found),
    admin2: column('admin2', two.found),
  };
}
