// What the cluster's policies say should happen to one image, before any node is asked: data
// (which policies serve the pull, or why none does) and the warnings verify prints from it.
import { describe, expect, it } from 'vitest';
import { expectationFor, mirrorWarnings, policyRows } from '../../src/app/policy-summary.js';
import { readPolicies } from '../../src/registries/policies.js';
import { parseReference } from '../../src/registries/reference.js';
import { warnedAll } from '../words.js';

const D = `sha256:${'a'.repeat(64)}`;
const icsp = (name: string, entries: { source: string; mirrors: string[] }[]) => ({ apiVersion: 'operator.openshift.io/v1alpha1', kind: 'ImageContentSourcePolicy', metadata: { name }, spec: { repositoryDigestMirrors: entries } });
const itms = { apiVersion: 'config.openshift.io/v1', kind: 'ImageTagMirrorSet', metadata: { name: 'tags' }, spec: { imageTagMirrors: [{ source: 'q.io/ops', mirrors: ['m.io/ops'] }] } };
const idmsNoMirrors = { apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', metadata: { name: 'block' }, spec: { imageDigestMirrors: [{ source: 'q.io/closed', mirrorSourcePolicy: 'NeverContactSource' }] } };
const rules = readPolicies([icsp('a', [{ source: 'q.io/team', mirrors: ['m.io/team'] }, { source: 'q.io/team/app', mirrors: ['m.io/app'] }]), icsp('b', [{ source: 'q.io/team', mirrors: ['n.io/team'] }]), itms, idmsNoMirrors].map((object) => ({ origin: 't', object }))).rules;
const ref = (s: string) => parseReference(s);

describe('expectationFor', () => {
  it('a digest pull under digest mirrors: the policies that serve it, each named once', () => {
    expect(expectationFor(rules, ref(`q.io/team/app@${D}`))).toEqual({ coveredBy: ['ImageContentSourcePolicy/a', 'ImageContentSourcePolicy/b'] });
  });
  it('a tag pull where only digest mirrors cover it: the mismatch and those policies', () => {
    expect(expectationFor(rules, ref('q.io/team/app:1'))).toEqual({ coveredBy: [], mismatch: { kind: 'tag-pull-digest-mirrors', policies: ['ImageContentSourcePolicy/a', 'ImageContentSourcePolicy/b'] } });
  });
  it('a digest pull where only tag mirrors cover it', () => {
    expect(expectationFor(rules, ref(`q.io/ops/db@${D}`))).toEqual({ coveredBy: [], mismatch: { kind: 'digest-pull-tag-mirrors', policies: ['ImageTagMirrorSet/tags'] } });
    expect(expectationFor(rules, ref('q.io/ops/db:1'))).toEqual({ coveredBy: ['ImageTagMirrorSet/tags'] });
  });
  it('nothing covers it, or only an entry without mirrors: no expectation', () => {
    expect(expectationFor(rules, ref(`elsewhere.io/x@${D}`))).toEqual({ coveredBy: [] });
    expect(expectationFor(rules, ref(`q.io/closed/x@${D}`))).toEqual({ coveredBy: [] });
  });
});

describe('mirrorWarnings', () => {
  it.each([
    [`q.io/team/app@${D}`, []],
    ['q.io/team/app:1', ['q.io/team/app:1: a tag pull, and ImageContentSourcePolicy/a, ImageContentSourcePolicy/b mirror digest pulls only: pull by digest or add an ImageTagMirrorSet']],
    [`q.io/ops/db@${D}`, [`q.io/ops/db@${D}: only ImageTagMirrorSets cover it (ImageTagMirrorSet/tags) and they serve tag pulls only`]],
    [`elsewhere.io/x@${D}`, [`no ImageContentSourcePolicy, ImageDigestMirrorSet or ImageTagMirrorSet covers elsewhere.io/x@${D}: nodes pull it from its source`]],
  ])('%s', (image, warnings) => expect(warnedAll(mirrorWarnings(rules, ref(image)))).toEqual(warnings));
});

describe('policyRows', () => {
  it('every entry covering the image, as list shows it; an ICSP always falls back to the source', () => {
    expect(policyRows(rules, ref(`q.io/team/app@${D}`)).map((r) => [r.kind, r.name, r.source, r.mirrors, r.pull, r.sourcePolicy])).toEqual([
      ['ImageContentSourcePolicy', 'a', 'q.io/team', ['m.io/team'], 'digest', 'AllowContactingSource'],
      ['ImageContentSourcePolicy', 'a', 'q.io/team/app', ['m.io/app'], 'digest', 'AllowContactingSource'],
      ['ImageContentSourcePolicy', 'b', 'q.io/team', ['n.io/team'], 'digest', 'AllowContactingSource'],
    ]);
    expect(policyRows(rules, ref(`q.io/closed/x@${D}`)).map((r) => [r.name, r.mirrors, r.sourcePolicy])).toEqual([['block', [], 'NeverContactSource']]);
  });
});
