// podman's and skopeo's own words about signatures, read from whole node logs captured on the
// sandbox (test/fixtures/node-logs-signatures/README.md says how they were made).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readNodeOutput } from '../../src/node-check/node-output.js';
import { classifyFailure } from '../../src/pull-log/classify.js';

const log = (name: string) => readNodeOutput(readFileSync(`test/fixtures/node-logs-signatures/${name}.log`, 'utf8'));
const TAG = /^sha256-[0-9a-f]{64}\.sig$/;

describe('a pull under a signature policy (podman 4.3.1)', () => {
  it('unsigned mirror first: the attachment is looked for there, not found, and the pull ends on it', () => {
    const pull = log('pull-unsigned-first').pulls[0]!;
    expect(pull.log.attempts.map((a) => a.reference.split('@')[0]!.replace(/^[^/]+/, 'HOST'))).toEqual(['HOST/unsigned/ocp-release']);
    expect(pull.log.attempts[0]!).toMatchObject({ ok: false, reason: 'signature', message: 'Source image rejected: A signature was required, but no signature exists' });
    expect(pull.log.signatureLookups).toEqual([{ endpoint: expect.stringMatching(/\/unsigned\/ocp-release$/), tag: expect.stringMatching(TAG), found: false }]);
  });
  it('signed mirror: found, and refused by a podman built without sigstore verification', () => {
    const pull = log('pull-signed').pulls[0]!;
    expect(pull.log.signatureLookups?.map((l) => l.found)).toEqual([true]);
    expect(pull.log.attempts.at(-1)).toMatchObject({ reason: 'signature', message: 'Source image rejected: Debian-local change: sigstore disabled' });
  });
  it('no signature policy: nothing is looked for', () => {
    const pull = log('pull-lagging').pulls[0]!;
    expect([pull.log.pulled, pull.log.signatureLookups]).toEqual([true, []]);
  });
});

describe("a manifest check's look for the attachment (skopeo 1.9)", () => {
  it('reads the manifest, then looks where a pull would, finding it or not', () => {
    const facts = (name: string) => log(name).facts.signatures;
    expect(facts('manifest-unsigned-first').lookups).toEqual([{ image: expect.stringMatching(/ocp-release@sha256:/), exitCode: 1, lookup: { endpoint: expect.stringMatching(/\/unsigned\/ocp-release$/), tag: expect.stringMatching(TAG), found: false } }]);
    expect(facts('manifest-signed').lookups[0]!.lookup?.found).toBe(true);
    expect(facts('manifest-wrong-key').lookups[0]!.lookup).toMatchObject({ endpoint: expect.stringMatching(/\/wrong-key\/ocp-release$/), found: true });
    // No policy needs a signature: no look.
    expect(facts('manifest-lagging').lookups).toEqual([]);
  });
  it("sends the node's policy.json and registries.d", () => {
    const paths = log('manifest-signed').facts.signatures.files.map((f) => f.path);
    expect(paths).toEqual(['/etc/containers/policy.json', '/etc/containers/registries.d/sigstore-registries.yaml']);
    expect(log('manifest-lagging').facts.signatures.files.map((f) => f.path)).toEqual(['/etc/containers/policy.json']);
  });
});

// The texts as upstream makes them: containers/image copy/single.go ("Source image rejected: %w"),
// copy/copy.go ("copying system image from manifest list: "), signature/policy_eval_sigstore.go,
// policy_eval_simple.go ("Running image %s is rejected by policy."), and CRI-O's wrapping
// (internal/storage/image.go WrapSignatureCRIErrorIfNeeded, "%w: %w" after SignatureValidationFailed).
describe('the failure classes of a refused signature', () => {
  it.each([
    ['Source image rejected: A signature was required, but no signature exists'],
    ['copying system image from manifest list: Source image rejected: None of the signatures were accepted, reasons: x509: certificate signed by unknown authority'],
    ['SignatureValidationFailed: Source image rejected: Signature for identity "a" is not accepted'],
    ['Source image rejected: Running image docker://x is rejected by policy.'],
  ])('%s', (message) => expect(classifyFailure(message)).toBe('signature'));
});
