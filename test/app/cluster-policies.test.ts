import { describe, expect, it } from 'vitest';
import { readClusterPolicies } from '../../src/app/cluster-policies.js';
import { fakeRunner, type Expected } from '../fake-runner.js';

const empty = { stdout: JSON.stringify({ items: [] }) };
// kubectl's words for a type the server does not serve (staging/src/k8s.io/kubectl/pkg/cmd/get, via cli-runtime's RESTMapper).
const unserved = (resource: string) => ({ exitCode: 1, stderr: `error: the server doesn't have a resource type "${resource}"\n` });
const forbidden = (resource: string) => ({ exitCode: 1, stderr: `Error from server (Forbidden): ${resource} is forbidden: User "dev" cannot list resource "${resource}" in API group "config.openshift.io" at the cluster scope\n` });

const table = (icsp: Expected['result']): Expected[] => [
  { args: ['get', 'imagecontentsourcepolicies.operator.openshift.io', '-o', 'json'], result: icsp },
  { args: ['get', 'imagedigestmirrorsets.config.openshift.io', '-o', 'json'], result: forbidden('imagedigestmirrorsets') },
  { args: ['get', 'imagetagmirrorsets.config.openshift.io', '-o', 'json'], result: empty },
  { args: ['get', 'clusterimagepolicies.config.openshift.io', '-o', 'json'], result: unserved('clusterimagepolicies') },
  { args: ['get', 'imagepolicies.config.openshift.io', '--all-namespaces', '-o', 'json'], result: unserved('imagepolicies') },
  { args: ['get', 'images.config.openshift.io', 'cluster', '-o', 'json', '--ignore-not-found'], result: { stdout: '' } },
  { args: ['get', 'criocredentialproviderconfigs.config.openshift.io', 'cluster', '-o', 'json', '--ignore-not-found'], result: unserved('criocredentialproviderconfigs') },
];

describe('readClusterPolicies', () => {
  it('starts every read at once (each is a client process), and reports the first failure in its own order', async () => {
    const oc = fakeRunner(table(empty));
    const reading = readClusterPolicies(oc);
    // Before anything was answered, all seven client calls are under way.
    expect(oc.calls).toHaveLength(7);
    await expect(reading).rejects.toThrow(/imagedigestmirrorsets.*forbidden/);
  });

  it('a failure earlier in the order is the one reported, whichever answers first', async () => {
    const oc = fakeRunner(table(forbidden('imagecontentsourcepolicies')));
    await expect(readClusterPolicies(oc)).rejects.toThrow(/imagecontentsourcepolicies.*forbidden/);
  });
});
