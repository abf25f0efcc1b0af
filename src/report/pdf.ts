import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.SITREP_CHROMIUM ?? '/usr/bin/chromium';
/** Headless, and nothing that reaches out to Google's services (refused on a closed network). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/**
 * Prints an HTML file to A4 PDF with the system's Chromium (never a downloaded browser). Requests
 * other than the file itself are refused, so the PDF shows exactly what the offline HTML does.
 */
export async function printPdf(htmlPath: string, pdfPath: string): Promise<void> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `--pdf needs Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set SITREP_CHROMIUM)`,
    );
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
  });
  try {
    const page = await browser.newPage();
    const url = pathToFileURL(resolve(htmlPath)).href;
    await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    await page.goto(url, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    await page.pdf({
      path: pdfPath,
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate:
        '<div style="font: 8px Arial, sans-serif; color: #6b7280; width: 100%; padding: 0 12mm; display: flex; justify-content: space-between;"><span>Sitrep situation brief</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>',
    });
  } finally {
    await browser.close();
  }
}
