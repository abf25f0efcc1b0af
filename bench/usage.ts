import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `--help` for a benchmark: prints the comment at the head of its file (what it measures, how to run it,
 * its options) and exits, before it builds anything. Call it first thing: `exitWithUsageIfAsked(import.meta.url)`.
 */
export function exitWithUsageIfAsked(moduleUrl: string): void {
  if (!process.argv.slice(2).some((a) => a === '--help' || a === '-h')) return;
  const source = readFileSync(fileURLToPath(moduleUrl), 'utf8');
  const head = /\/\*\*([\s\S]*?)\*\//.exec(source)?.[1] ?? ' (no description)';
  const text = head
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, ''))
    .join('\n')
    .trim();
  process.stdout.write(`${text}\n`);
  process.exit(0);
}
