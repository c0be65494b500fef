// One line, once, when the end-to-end suites cannot run here.
import { sandboxSkipReason } from './sandbox-support.js';

export default function setup(): void {
  const reason = sandboxSkipReason();
  if (reason) process.stderr.write(`end-to-end suites skipped: ${reason}\n`);
}
