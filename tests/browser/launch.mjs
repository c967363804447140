// Debian's Chromium, headless, as every browser check here starts it: $CHROMIUM or
// /usr/bin/chromium (none is ever downloaded), no sandbox (CI containers), nothing that
// reaches the network on its own.
import { chromium } from 'playwright-core';

export const chromiumPath = () => process.env.CHROMIUM || '/usr/bin/chromium';

export function launch(timeout, executablePath = chromiumPath()) {
  return chromium.launch({
    executablePath,
    headless: true,
    timeout,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}
