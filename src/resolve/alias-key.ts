/**
 * The key under which an actor name or alias is looked up: case, accents, punctuation and spacing
 * do not make two actors different ("Tehrik-i-Taliban Pakistan" = "tehrik i taliban pakistan").
 *
 * @example aliasKey('Tehrik-i-Taliban  Pakistan (TTP)') // 'tehrik i taliban pakistan ttp'
 */
export function aliasKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
