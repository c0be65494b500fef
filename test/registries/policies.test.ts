import { describe, expect, it } from 'vitest';
import { readPolicies, rulesCovering } from '../../src/registries/policies.js';
import { parseReference } from '../../src/registries/reference.js';

const read = (object: unknown) => readPolicies([{ origin: 'mirrors.yaml', object }]);
const idms = (entry: Record<string, unknown>) => ({ apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', metadata: { name: 'x' }, spec: { imageDigestMirrors: [entry] } });

describe('reading policy objects', () => {
  it('models ICSP, IDMS and ITMS entries with which pulls they serve', () => {
    const set = readPolicies(
      [
        { apiVersion: 'operator.openshift.io/v1alpha1', kind: 'ImageContentSourcePolicy', metadata: { name: 'icsp' }, spec: { repositoryDigestMirrors: [{ source: 'q.io/a', mirrors: ['m.io/a'] }] } },
        idms({ source: '*.q.io', mirrors: ['m.io'], mirrorSourcePolicy: 'NeverContactSource' }),
        { apiVersion: 'config.openshift.io/v1', kind: 'ImageTagMirrorSet', metadata: { name: 't' }, spec: { imageTagMirrors: [{ source: 'q.io/a', mirrors: ['t.io/a'] }] } },
        { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: { registrySources: { insecureRegistries: ['i.io'] } } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ignored' } },
      ].map((object) => ({ origin: 'f.yaml', object })),
    );
    expect(set.rules.map((r) => [r.kind, r.source, r.pull, r.sourcePolicy])).toEqual([
      ['ImageContentSourcePolicy', 'q.io/a', 'digest', null],
      ['ImageDigestMirrorSet', '*.q.io', 'digest', 'NeverContactSource'],
      ['ImageTagMirrorSet', 'q.io/a', 'tag', null],
    ]);
    expect(set.registrySources?.insecureRegistries).toEqual(['i.io']);
    expect(rulesCovering(set.rules, parseReference('q.io/a/app:1')).map((r) => r.kind)).toEqual(['ImageContentSourcePolicy', 'ImageTagMirrorSet']);
    expect(rulesCovering(set.rules, parseReference('sub.q.io/a/app:1')).map((r) => r.kind)).toEqual(['ImageDigestMirrorSet']);
  });

  const errors: [unknown, string][] = [
    [idms({ source: 'https://q.io/a', mirrors: ['m.io'] }), 'mirrors.yaml: ImageDigestMirrorSet "x": spec.imageDigestMirrors[0].source: "https://q.io/a" must not have a URL scheme'],
    [idms({ source: 'q.io/a:v1', mirrors: ['m.io'] }), 'spec.imageDigestMirrors[0].source: "q.io/a:v1" must not have a tag'],
    [idms({ source: `q.io/a@sha256:${'a'.repeat(64)}`, mirrors: ['m.io'] }), 'must not have a digest'],
    [idms({ source: '*.q.io/a', mirrors: ['m.io'] }), 'invalid format for source "*.q.io/a"'],
    [idms({ mirrors: ['m.io'] }), 'spec.imageDigestMirrors[0].source: is required'],
    [idms({ source: 'q.io/a', mirrors: ['*.m.io'] }), 'spec.imageDigestMirrors[0].mirrors[0]: invalid format for mirror "*.m.io"'],
    [idms({ source: 'q.io/a', mirrors: ['m.io/A'] }), 'invalid format for mirror "m.io/A"'],
    [idms({ source: 'q.io/a', mirrors: ['m.io', 'm.io'] }), 'holds a duplicate mirror'],
    [idms({ source: 'q.io/a', mirrors: ['m.io'], mirrorSourcePolicy: 'Sometimes' }), 'mirrorSourcePolicy: must be NeverContactSource or AllowContactingSource'],
    [{ ...idms({ source: 'q.io/a' }), apiVersion: 'v1' }, 'apiVersion: must be config.openshift.io/v1, not "v1"'],
  ];
  for (const [object, message] of errors) {
    it(`refuses: ${message.slice(-60)}`, () => expect(() => read(object)).toThrow(message));
  }
});
