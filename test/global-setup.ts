// One line, once, for each kind of suite that cannot run here: the end-to-end suites, the browser's.
import { browserSkipReason } from './page/browser.js';
import { sandboxSkipReason } from './sandbox-support.js';

export default function setup(): void {
  const reason = sandboxSkipReason();
  if (reason) process.stderr.write(`end-to-end suites skipped: ${reason}\n`);
  const browser = browserSkipReason();
  if (browser) process.stderr.write(`browser suites skipped: ${browser}\n`);
}
