import type { Command } from 'commander';
import type { Store } from '../../store/contract.ts';
import { openStore } from '../../store/open-store.ts';
import { openQueue, resolveNatsUrl, resolveQueueName } from '../../stream/queue.ts';
import { formatStatus, streamStatus } from '../../stream/status.ts';
import { printJson } from '../shared-options.ts';
import { addQueueOptions } from './queue-options.ts';

interface StatusFlags {
  db?: string;
  nats?: string;
  queue?: string;
  json?: boolean;
}

export function registerStatus(program: Command): void {
  addQueueOptions(
    program
      .command('status')
      .description(
        'Queue depth (pending, in flight, dead-lettered) and, with --db, throughput and recent failures.',
      )
      .option(
        '--db <location>',
        'the database the workers write to (default: $SITREP_DB; without it only the queue is shown)',
      )
      .option('--json', 'print as JSON'),
  ).action(async (flags: StatusFlags) => {
    const location = flags.db ?? process.env.SITREP_DB;
    const queue = await openQueue(resolveNatsUrl(flags.nats), resolveQueueName(flags.queue), {
      name: 'sitrep status',
      create: false,
    });
    let store: Store | null = null;
    try {
      store = location ? await openStore(location, { readOnly: true }) : null;
      const status = await streamStatus(queue, store, new Date());
      if (flags.json) printJson(status);
      else process.stdout.write(`${formatStatus(status)}\n`);
    } finally {
      await store?.close();
      await queue.close();
    }
  });
}
