// CRIOCredentialProviderConfig's matchImages, matched as the kubelet matches them
// (k8s.io/kubernetes pkg/credentialprovider/keyring.go URLsMatch), against the image a pod names.
import { describe, expect, it } from 'vitest';
import { providerMatches, readCredentialProvider } from '../../src/registries/credential-provider.js';
import { parseReference } from '../../src/registries/reference.js';

const provider = (...matchImages: string[]) => readCredentialProvider({ apiVersion: 'config.openshift.io/v1', kind: 'CRIOCredentialProviderConfig', metadata: { name: 'cluster' }, spec: { matchImages } });
const matches = (pattern: string, image: string) => providerMatches(provider(pattern), parseReference(image));

describe('matchImages, as the kubelet reads them', () => {
  it.each([
    ['registry.example.com', 'registry.example.com/team/app:v1', true],
    ['*.example.com', 'registry.example.com/team/app:v1', true],
    ['*.example.com', 'example.com/team/app:v1', false],
    ['registry.*.com', 'registry.example.com/app:v1', true],
    ['registry.example.com/team', 'registry.example.com/team/app:v1', true],
    ['registry.example.com/other', 'registry.example.com/team/app:v1', false],
    ['registry.example.com:5000', 'registry.example.com/team/app:v1', false],
    ['registry.example.com:5000', 'registry.example.com:5000/team/app:v1', true],
    // Edge cases. A scheme in the pattern is left out, as the kubelet parses a schemeless URL.
    ['https://registry.example.com', 'registry.example.com/team/app:v1', true],
    ['registry.example.com:5000', 'registry.example.com:5001/team/app:v1', false],
    ['registry.example.com:5000/team', 'registry.example.com:5000/other/app:v1', false],
    ['*.example.com:5000', 'r.example.com:5000/team/app:v1', true],
    ['r.example.com', 'rxexample.com/team/app:v1', false],
    ['r.example.com', 'r.example.org/team/app:v1', false],
  ] as const)('%s against %s: %s', (pattern, image, expected) => expect(matches(pattern, image)).toBe(expected));

  it('none configured, or none of them: no', () => {
    expect(providerMatches(null, parseReference('quay.io/a/b:v1'))).toBe(false);
    expect(providerMatches(readCredentialProvider({ apiVersion: 'config.openshift.io/v1', spec: {} }), parseReference('quay.io/a/b:v1'))).toBe(false);
  });
});

describe('matchImages, as written', () => {
  it('keeps only the string patterns of matchImages', () => {
    expect(readCredentialProvider({ apiVersion: 'config.openshift.io/v1', spec: { matchImages: ['a.io', 3, null] } }).matchImages).toEqual(['a.io']);
    expect(readCredentialProvider({ apiVersion: 'config.openshift.io/v1', spec: { matchImages: 'a.io' } }).matchImages).toEqual([]);
  });
});
