// Verify results made from node logs captured from the sandbox (test/fixtures/node-logs): the
// report and page suites draw real nodes' answers, not invented ones.
import { readFileSync } from 'node:fs';
import { type NodeResult, startNodeCheck } from '../../src/app/check-node.js';
import type { VerifyResult } from '../../src/app/verify.js';
import { parseReference } from '../../src/registries/reference.js';

export const IMAGE = 'registry.sandbox.invalid/team/app@sha256:ed0758f0c3025b18efd9a6be002cb052ea209fee69fabe818979512ae18433c0';
export const OTHER = 'registry.sandbox.invalid/team/db@sha256:ed0758f0c3025b18efd9a6be002cb052ea209fee69fabe818979512ae18433c0';

/** A node's result for IMAGE from its real log, named `name` and said of `image`. */
export async function nodeFromLog(log: string, name: string, image = IMAGE): Promise<NodeResult> {
  const sink = startNodeCheck(name, {
    images: [{ image: IMAGE, ref: parseReference(IMAGE), expectation: { coveredBy: ['ImageContentSourcePolicy/sandbox'] } }],
    engine: 'podman', clientName: 'oc', invokedAs: 'oc icsp', timeoutMs: 60_000, expected: null, rolloutPending: null, log: undefined, warn: () => {},
  });
  for (const line of readFileSync(`test/fixtures/node-logs/${log}.log`, 'utf8').split('\n')) if (!line.startsWith('[oc] ')) sink.output(line);
  const [result] = await sink.finish({ status: 'exited', exitCode: 0, clientSaid: null, durationMs: 900 });
  return { ...result!, image };
}

/** Two images on four nodes: IMAGE served on worker-0 to worker-2 and not on worker-3 (its pull secret lacks the mirror's); OTHER on no mirror. */
export async function twoImagesRun(): Promise<VerifyResult> {
  const nodes = [
    ...(await Promise.all([0, 1, 2].map((i) => nodeFromLog('digest-mirrored', `worker-${i}`)))),
    await nodeFromLog('digest-missing-credentials', 'worker-3'),
    ...(await Promise.all([0, 1, 2, 3].map((i) => nodeFromLog('digest-not-on-mirror', `worker-${i}`, OTHER)))),
  ];
  const summary = { mirrored: 3, 'mirror-failed': 5, 'not-mirrored': 0, error: 0, skipped: 0 };
  return {
    clientName: 'oc', invokedAs: 'oc icsp', image: IMAGE, images: [IMAGE, OTHER], picked: false, check: 'manifest', strategy: 'oc debug', policies: [], warnings: [],
    nodes, notCovered: [], summary, composed: { readers: ['worker-0', 'worker-3'], borrowed: 4 }, borrowed: [], proposal: null, namespace: null, namespaceDeleted: true, interrupted: false,
  };
}
