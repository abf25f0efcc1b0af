import type { Command } from 'commander';

/** Each command module adds itself to the program; the order here is the order in `--help`. */
export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [];
