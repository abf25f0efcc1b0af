import { type Command, InvalidArgumentError } from 'commander';

/** `--nats URL` and `--queue NAME`, shared by watch, worker and status. */
export function addQueueOptions(command: Command): Command {
  return command
    .option('--nats <url>', 'NATS server (default: $SITREP_NATS or nats://127.0.0.1:4222)')
    .option(
      '--queue <name>',
      'queue name: streams <name>_docs and <name>_dead (default: $SITREP_QUEUE or sitrep)',
    );
}

export function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} takes a whole number ≥ 1`);
    return n;
  };
}

export function positiveNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${flag} takes a number > 0`);
    return n;
  };
}

/** Aborts on the first SIGINT/SIGTERM (finish in-flight work); a second one exits at once. */
export function abortOnSignals(): AbortSignal {
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', stop).on('SIGTERM', stop);
  return controller.signal;
}
