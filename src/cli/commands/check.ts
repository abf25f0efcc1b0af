import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import {
  type ClaimCheck,
  checkClaim,
  claimFromExtraction,
  parseClaim,
  withActorsFromText,
} from '../../analyse/claim-check.ts';
import { addGroupOption, questionFilter } from '../../analyse/cli-filter.ts';
import { signed, table } from '../../analyse/format.ts';
import { extractDocument } from '../../extract/extract-document.ts';
import {
  addDbOption,
  addFilterOptions,
  calendarDay,
  type FilterFlags,
  filterFromFlags,
  printJson,
  resolveQuestion,
  withStoreReading,
} from '../shared-options.ts';

function render(result: ClaimCheck): string {
  if (result.ranking) return renderRanking(result, result.ranking);
  const lines = [
    `Claim: ${result.claim.text ?? `${result.claim.metric} ${result.claim.from} → ${result.claim.to} ${signed(result.claim.changePct)}`}`,
    `Verdict: ${result.verdict.toUpperCase()} — ${result.explanation}`,
    `Counted: ${result.definition}`,
    `Actors: ${result.resolvedActors.groups.length ? `${result.resolvedActors.groups.join(', ')} → ` : ''}${result.resolvedActors.ids.join(', ') || result.resolvedActors.names.slice(0, 8).join(', ') || (result.claim.unrecognisedActors.length ? `none recognised — ${result.claim.unrecognisedActors.map((n) => `"${n}"`).join(', ')} matches no actor in the store (\`sitrep actors\` lists them)` : 'all (the claim names none)')}`,
    '',
    table(
      ['period', 'from', 'to', 'value', 'covered'],
      [
        ...result.periods,
        ...(result.likeForLike ? [result.likeForLike.from, result.likeForLike.to] : []),
      ].map((p) => [p.label, p.from, p.to, p.value, `${Math.round(p.covered * 100)}%`]),
    ),
    '',
    `Change: ${changeLine(result)}, claimed ${signed(result.claim.changePct)}`,
    'Other definitions:',
    ...result.alternatives.map((a) => `  ${a.definition}: ${a.from} → ${a.to} (${signed(a.changePct)})`),
    `Data: ${result.coverage.first ?? '—'} … ${result.coverage.last ?? '—'}, ${result.coverage.events} events from ${result.coverage.sources.join(', ') || '—'}`,
    ...result.caveats.map((c) => `Caveat: ${c}`),
  ];
  return `${lines.join('\n')}\n`;
}

function renderRanking(result: ClaimCheck, ranking: NonNullable<ClaimCheck['ranking']>): string {
  const period = result.periods[0];
  const lines = [
    `Claim: ${result.claim.text ?? `${result.claim.actors.join(', ')} first by ${result.claim.metric}, ${result.claim.from}–${result.claim.to}`}`,
    `Verdict: ${result.verdict.toUpperCase()} — ${result.explanation}`,
    `Counted: ${result.definition}`,
    `Actors: ${result.resolvedActors.groups.length ? `${result.resolvedActors.groups.join(', ')} → ` : ''}${result.resolvedActors.ids.join(', ') || result.resolvedActors.names.slice(0, 8).join(', ') || 'none recognised (`sitrep actors` lists them)'}`,
    '',
    table(
      ['rank', 'actor (initiator)', result.claim.metric],
      ranking.top.map((r, i) => [String(i + 1), `${r.name}${r.claimed ? ' ← claimed' : ''}`, r.value]),
    ),
    ...(ranking.rank !== null && ranking.rank > ranking.top.length
      ? [
          `  … ${result.resolvedActors.groups[0] ?? result.claim.actors.join(', ')}: rank ${ranking.rank} of ${ranking.actorsRanked}, ${period.value}`,
        ]
      : []),
    '',
    `Period: ${period.from} … ${period.to}, ${Math.round(period.covered * 100)}% covered`,
    `Data: ${result.coverage.first ?? '—'} … ${result.coverage.last ?? '—'}, ${result.coverage.events} events from ${result.coverage.sources.join(', ') || '—'}`,
    ...result.caveats.map((c) => `Caveat: ${c}`),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The store's change, led by the like-for-like figure when a period is only partly covered: a full year
 * against half a year is not a change anyone claimed, so it is named as what it is.
 */
function changeLine(result: ClaimCheck): string {
  const partial = result.periods.filter((p) => !p.complete);
  if (!result.likeForLike || partial.length === 0) return `store ${signed(result.computedChangePct)}`;
  const covered = partial.map((p) => `${p.label} ${Math.round(p.covered * 100)}% covered`).join(', ');
  return `store ${signed(result.likeForLike.changePct)} over the same days (whole periods: ${signed(result.computedChangePct)}, ${covered})`;
}

export function registerCheck(program: Command): void {
  const command = program
    .command('check [claim]')
    .description(
      'Check a quantitative claim ("attacks by Baloch groups rose 119% between 2023 and 2024") or a ranking ("TTP was the deadliest group in 2024") against the store',
    )
    .option('--text <file>', 'check every claim that extraction finds in a text file instead')
    .option(
      '--published <date>',
      'publication date of the claim or text (for "last year"), YYYY-MM-DD',
      calendarDay,
    )
    .option('--json', 'print JSON');
  addGroupOption(addFilterOptions(addDbOption(command))).action(
    async (
      claimText: string | undefined,
      flags: FilterFlags & {
        text?: string;
        published?: string;
        group?: string[];
        json?: boolean;
        db?: string;
      },
    ) => {
      const question = questionFilter(filterFromFlags(flags), flags.group);
      if (!claimText && !flags.text) throw new Error('give a claim in quotes, or --text FILE');
      // as `extract` does: today's date would turn the text's "last year" into the wrong year
      const published = flags.published;
      if (flags.text && !published)
        throw new InvalidArgumentError(
          '--published YYYY-MM-DD is required with --text (relative dates such as "last year" need it)',
        );
      await withStoreReading(flags.db, async (store) => {
        const { filter } = await resolveQuestion(store, question);
        const referenceYear = flags.published ? Number(flags.published.slice(0, 4)) : undefined;
        const claims = [];
        if (claimText)
          claims.push(await parseClaim(store, claimText, referenceYear ? { referenceYear } : {}));
        if (flags.text && published) {
          const text = readFileSync(flags.text, 'utf8');
          const extracted = extractDocument(text, {
            published,
          });
          for (const c of extracted.claims) {
            if (!c.from || !c.to) continue;
            claims.push(
              await withActorsFromText(
                store,
                claimFromExtraction({
                  ...c,
                  from: c.from,
                  to: c.to,
                  evidence: text.slice(c.evidence.start, c.evidence.end),
                }),
              ),
            );
          }
          if (!claims.length)
            process.stderr.write(`sitrep: no checkable claim (with periods) found in ${flags.text}\n`);
        }
        const results = [];
        for (const claim of claims) results.push(await checkClaim(store, claim, filter));
        if (flags.json) return printJson(claimText && !flags.text ? results[0] : results);
        process.stdout.write(results.map(render).join('\n'));
      });
    },
  );
}
