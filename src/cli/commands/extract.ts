import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { extractDocument } from '../../extract/extract-document.ts';
import { Gazetteer } from '../../extract/places/gazetteer.ts';
import { htmlToText } from '../../ingest/text/html.ts';
import { ActorRegistry } from '../../resolve/actor-registry.ts';
import type { ExtractionResult } from '../../schema/extraction.ts';
import { placeLine } from '../../schema/place-name.ts';
import { calendarDay, isCalendarDay, printJson, withStoreReading } from '../shared-options.ts';

interface ExtractFlags {
  published?: string;
  db?: string;
  json?: boolean;
  jsonl?: string;
}

const JsonlLine = z.object({
  id: z.union([z.string(), z.number()]),
  text: z.string(),
  published: z.string().refine(isCalendarDay, 'expected a calendar date as YYYY-MM-DD'),
});

export function registerExtract(program: Command): void {
  program
    .command('extract')
    .description(
      'Extract events (ACLED/GTD types, date, actors, place, counts, evidence spans), actor relations, trend claims ' +
        'and sites at risk from news text. Offline; with --db, places and actors learned in the store are used too.',
    )
    .argument('[file]', 'text or HTML file, or - for stdin (not with --jsonl)')
    .option(
      '--published <date>',
      'publication date YYYY-MM-DD; relative dates resolve against it',
      calendarDay,
    )
    .option('--db <location>', 'also use the places and actors this store has learned')
    .option(
      '--jsonl <file>',
      'batch mode: lines {"id","text","published"} in, lines {"id","events","relations","claims","sites"} out',
    )
    .option('--json', 'print JSON (the default output is a short summary)')
    .action(async (file: string | undefined, flags: ExtractFlags) => {
      const run = async (gazetteer: Gazetteer, actors: ActorRegistry) => {
        if (flags.jsonl) return extractJsonl(flags.jsonl, gazetteer, actors);
        if (!flags.published)
          throw new InvalidArgumentError('--published YYYY-MM-DD is required (relative dates need it)');
        const raw = !file || file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
        const looksHtml = /\.html?$/i.test(file ?? '') || /^\s*<(?:!doctype|html|body|p|div)\b/i.test(raw);
        const text = looksHtml ? htmlToText(raw) : raw;
        const result = extractDocument(text, { published: flags.published, gazetteer, actors });
        if (flags.json) printJson(result);
        else process.stdout.write(summarise(result));
        if (!text.trim())
          process.stderr.write(`sitrep: ${file && file !== '-' ? file : 'stdin'} holds no text\n`);
      };
      if (flags.db) {
        await withStoreReading(flags.db, async (store) =>
          run(await Gazetteer.fromStore(store), await ActorRegistry.fromStore(store)),
        );
      } else {
        await run(await Gazetteer.load(), ActorRegistry.seeded());
      }
    });
}

async function extractJsonl(path: string, gazetteer: Gazetteer, actors: ActorRegistry): Promise<void> {
  const lines = createInterface({
    input: path === '-' ? process.stdin : createReadStream(path),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new Error(`${path}:${n}: not JSON: ${(error as Error).message}`, { cause: error });
    }
    const parsed = JsonlLine.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${path}:${n}: ${issue?.path.join('.') || 'line'}: ${issue?.message}`);
    }
    const { id, text, published } = parsed.data;
    const result = extractDocument(text, { published, gazetteer, actors });
    process.stdout.write(`${JSON.stringify({ id, ...result })}\n`);
  }
}

function summarise(result: ExtractionResult): string {
  const lines: string[] = [];
  for (const e of result.events) {
    const count = (label: string, c: { best: number | null; low: number | null } | null) =>
      c && (c.best ?? c.low) !== null ? ` ${label} ${c.best ?? `≥${c.low}`}` : '';
    lines.push(
      `event  ${e.date ?? '?'} (${e.date_precision ?? '-'})  ${e.event_type ?? '?'} / ${e.sub_event_type ?? '?'} [${e.attack_type ?? '?'}]  ` +
        `${e.actor1 ?? '-'}${e.actor2 ? ` vs ${e.actor2}` : ''}  @ ${placeLine([e.location, e.admin2, e.admin1]) || '-'}` +
        `${count('killed', e.fatalities)}${count('injured', e.injured)}${count('held', e.held)}`,
    );
  }
  for (const r of result.relations)
    lines.push(
      `relation  ${r.kind}: ${r.actors.map((a, i) => (r.actors_text[i] && r.actors_text[i] !== a ? `${a} ("${r.actors_text[i]}")` : a)).join(' + ')}${r.new_name ? ` → ${r.new_name}` : ''}${r.date ? ` (${r.date})` : ''}`,
    );
  for (const c of result.claims)
    lines.push(
      `claim  ${c.metric}: ${c.change_pct > 0 ? '+' : ''}${c.change_pct}% ${c.from ?? '?'}→${c.to ?? '?'} (${c.source ?? 'no source'})`,
    );
  for (const s of result.sites) lines.push(`site  ${s.name} (${s.kind})${s.place ? ` in ${s.place}` : ''}`);
  // a blank line alone reads as a crash; say what was looked for
  if (!lines.length) return 'nothing found: no dated events, relations, claims or sites\n';
  return `${lines.join('\n')}\n`;
}
