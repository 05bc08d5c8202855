import type { Page } from '@playwright/test';
import { test } from './fixtures';

/**
 * With E2E_SHOTS=<dir>, saves what the page shows now, full length, at desktop (1280) and phone
 * (390) width, named after the test and `name`; without it, does nothing. For looking at the
 * states the specs reach (warnings of a malicious server, say) that no one can click their way to.
 */
export async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.E2E_SHOTS;
  if (!dir) return;
  const info = test.info();
  const base = `${dir}/${info.project.name}-${info.title.replace(/\W+/g, '-').slice(0, 60)}-${name}`;
  const before = page.viewportSize() ?? { width: 1280, height: 720 };
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: `${base}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize(before);
}
