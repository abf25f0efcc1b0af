import { type Command, InvalidArgumentError } from 'commander';
import { startServer } from '../../serve/server.ts';
import { displayLocation, openStore, resolveDbLocation } from '../../store/open-store.ts';
import { addDbOption } from '../shared-options.ts';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new InvalidArgumentError('expected a port number 0-65535');
  return n;
}

export function registerServe(program: Command): void {
  addDbOption(
    program
      .command('serve')
      .description('Serve the HTTP API (and the dashboard) over the store; read-only unless given a token')
      .option('--port <n>', 'port to listen on (0: any free port)', port, 8080)
      .option('--host <address>', 'address to listen on', '127.0.0.1')
      .option('--token <secret>', 'bearer token that writing endpoints require (default: $SITREP_TOKEN)'),
  ).action(async (flags: { port: number; host: string; token?: string; db?: string }) => {
    const token = flags.token ?? process.env.SITREP_TOKEN;
    // Without a token nothing is written: a DuckDB file is then opened read-only, so that `sitrep stats`
    // and the other questions can be asked of it in another terminal while the dashboard runs.
    const store = await openStore(resolveDbLocation(flags.db), { readOnly: !token });
    const server = await startServer(store, {
      port: flags.port,
      host: flags.host,
      writeToken: token || undefined,
    }).catch(async (error: NodeJS.ErrnoException) => {
      await store.close();
      // Node's "listen EADDRINUSE: address already in use" names neither the cause nor the way out.
      if (error.code === 'EADDRINUSE')
        throw new Error(
          `port ${flags.port} on ${flags.host} is taken by another process (another \`sitrep serve\`?): pick another with --port, or --port 0 for any free one`,
          { cause: error },
        );
      throw error;
    });
    process.stdout.write(
      `sitrep: serving ${displayLocation(store.location)} at ${server.url} (${token ? 'writes need the bearer token' : 'read-only'}); API description at ${server.url}/openapi.json\n`,
    );
    const stop = async () => {
      await server.close();
      await store.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
