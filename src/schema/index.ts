export * from './event.ts';
export * from './filter.ts';
