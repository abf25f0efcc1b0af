import type { Command } from 'commander';
import { registerStatus } from './status.ts';
import { registerWatch } from './watch.ts';
import { registerWorker } from './worker.ts';

/** Each command module adds itself to the program; the order here is the order in `--help`. */
export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [registerWatch, registerWorker, registerStatus];
