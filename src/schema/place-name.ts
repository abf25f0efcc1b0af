/**
 * A place as one line, most specific first: "Turbat, Kech, Balochistan". A name equal to the one before it
 * is said once — a city often names its own district ("Karachi, Karachi" reads as a mistake).
 */
export function placeLine(parts: ReadonlyArray<string | null | undefined>): string {
  const names: string[] = [];
  for (const part of parts) {
    const name = part?.trim();
    if (!name) continue;
    if (names.length > 0 && names[names.length - 1]?.toLowerCase() === name.toLowerCase()) continue;
    names.push(name);
  }
  return names.join(', ');
}
