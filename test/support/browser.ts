import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

// Debian's Chromium, launched as the report's PDF printer launches it; nothing ever downloads a browser.
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../src/report/pdf.ts';

/** Where browser tests save screenshots (gitignored). */
export const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');

/** True when a browser test can run: Chromium is installed (CI installs it, so CI never skips). */
export function haveChromium(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true') throw new Error(`Chromium missing under CI: ${CHROMIUM_PATH}`);
  return false;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
