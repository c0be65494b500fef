// oc's and kubectl's own words while they run a node pod, as the sandbox's test client and the
// captured node logs show them (test/fixtures/node-logs, lines marked [oc]).
import { describe, expect, it } from 'vitest';
import { summarizeClientTalk } from '../../src/oc/client-talk.js';

describe('what the client said', () => {
  it('progress talk is not a reason', () => {
    expect(
      summarizeClientTalk([
        'Starting pod/mirrored-debug-08028 ...',
        'To use host binaries, run `chroot /host`. Instead, if you need to access host namespaces, run `nsenter -a -t 1`.',
        '',
        'Removing debug pod ...',
      ]),
    ).toBeNull();
  });
  it('the last error, without its prefix', () => {
    expect(summarizeClientTalk(['Starting pod/w-debug-x ...', 'Removing debug pod ...', 'error: non-zero exit code from debug container'])).toBe(
      'non-zero exit code from debug container',
    );
  });
  it('a warning names the cause of the error that follows', () => {
    expect(
      summarizeClientTalk([
        'Starting pod/w-debug-x ...',
        'warning: Container container-00 is unable to start due to an error: Back-off pulling image "registry.redhat.io/rhel9/support-tools"',
        'Removing debug pod ...',
        'error: timed out waiting for the condition',
      ]),
    ).toBe('Container container-00 is unable to start due to an error: Back-off pulling image "registry.redhat.io/rhel9/support-tools" (timed out waiting for the condition)');
  });
  it('otherwise the last thing it said (kubectl 1.32 against a closed port)', () => {
    const said = [
      'E1127 23:27:54.045304   15707 memcache.go:265] "Unhandled Error" err="couldn\'t get current server API group list: Get \\"https://127.0.0.1:1/api?timeout=32s\\": dial tcp 127.0.0.1:1: connect: connection refused"',
      'The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?',
    ];
    expect(summarizeClientTalk(said)).toBe('The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?');
  });
});
