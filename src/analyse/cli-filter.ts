import type { Command } from 'commander';
import type { EventFilter } from '../schema/index.ts';
import { QuestionFilter } from './filter.ts';

const list = (value: string, previous: string[] = []) => [...previous, value.trim()].filter(Boolean);

/** `--group NAME` (repeatable): an actor group whose members join the actor filter. */
export function addGroupOption(command: Command): Command {
  return command.option('--group <name>', 'actor group, e.g. "Baloch separatist groups" (repeatable)', list);
}

/** The question filter from the shared filter flags plus `--group`. */
export function questionFilter(filter: EventFilter, groups: string[] | undefined): QuestionFilter {
  return QuestionFilter.parse(groups?.length ? { ...filter, groups } : filter);
}
