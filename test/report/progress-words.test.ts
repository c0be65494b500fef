// The spinner's line while verify runs: the step, what is done, and the slowest node once it is slow.
import { describe, expect, it } from 'vitest';
import { progressWords } from '../../src/report/progress-words.js';

const at = 1_000_000;
describe('progress words', () => {
  it('a plain check: nodes done, image reads begun with several images, the slowest after 10 s', () => {
    expect(progressWords({ step: 'check', nodesDone: 3, nodes: 5, imagesBegun: 0, images: 5, slowest: { node: 'w-1', since: at - 2_000 } }, at)).toBe('3/5 nodes checked');
    expect(progressWords({ step: 'check', nodesDone: 3, nodes: 5, imagesBegun: 31, images: 50, slowest: { node: 'w-1', since: at - 42_000 } }, at)).toBe(
      '3/5 nodes checked, 31/50 image reads begun; slowest: w-1, 42s',
    );
  });

  it("a composed run's steps", () => {
    expect(progressWords({ step: 'survey', nodesDone: 480, nodes: 500, imagesBegun: 0, images: 0, slowest: null }, at)).toBe('surveying 480/500 nodes: the files pulls depend on, and what each reaches');
    expect(progressWords({ step: 'read', nodesDone: 0, nodes: 3, imagesBegun: 120, images: 900, slowest: { node: 'w-7', since: at - 61_000 } }, at)).toBe(
      'reading every image on 3 node(s), one per fingerprint: 120/900 begun; slowest: w-7, 1m1s',
    );
    expect(progressWords({ step: 'own-read', nodesDone: 1, nodes: 2, imagesBegun: 4, images: 6, slowest: null }, at)).toBe(
      'reading on 2 node(s) whose network answered otherwise: 1/2 done, 4/6 image reads begun',
    );
  });
});
