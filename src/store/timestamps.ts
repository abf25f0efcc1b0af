/**
 * A stored TIMESTAMP as ISO 8601 UTC. Sitrep writes timestamps in UTC into zone-less columns, and both stores
 * give them back as `2025-03-25 08:09:10.123`: read that as UTC, `2025-03-25T08:09:10.123Z`, as written.
 * Text that is not a timestamp comes back unchanged.
 *
 * @example isoUtc('2025-03-25 08:09:10.123') // '2025-03-25T08:09:10.123Z'
 */
export function isoUtc(value: unknown): string {
  const text = String(value);
  const at = new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
  return Number.isNaN(at.getTime()) ? text : at.toISOString();
}
