import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index.ts';

export function buildProgram(): Command {
  const program = new Command('sitrep')
    .description('Conflict-event intelligence: ingest data sets and news, extract, resolve, analyse, serve.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)');
  for (const register of COMMANDS) register(program);
  return program;
}

const isEntry = process.argv[1] !== undefined && /(?:main\.ts|sitrep(?:\.js)?)$/.test(process.argv[1]);
if (isEntry) {
  // `sitrep events | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  buildProgram()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      // Commander prints its own parse errors and exits before this; a CommanderError that reaches here was
      // thrown by a command's action (e.g. a missing required flag) and has not been printed yet.
      if (error instanceof CommanderError) {
        process.stderr.write(`sitrep: ${error.message}\n(run with --help for usage)\n`);
        process.exit(error.exitCode);
      }
      process.stderr.write(`sitrep: ${error instanceof Error ? error.message : String(error)}\n`);
      if (process.env.SITREP_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
      process.exit(1);
    });
}
