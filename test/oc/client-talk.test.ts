// oc's and kubectl's own words while they run a node pod, as the sandbox's test client and the
// captured node logs show them (test/fixtures/node-logs, lines marked [oc]).
import { describe, expect, it } from 'vitest';
import { clientError, clientJson, firstErrorLine, isUnservedType, summarizeClientTalk } from '../../src/oc/client-talk.js';

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

describe('a failed client call, as advice', () => {
  const oc = { binary: 'oc', loginAdvice: 'run `oc login`' } as Parameters<typeof clientError>[0];
  const failed = (stderr: string) => ({ exitCode: 1, stdout: '', stderr });

  it("the first error line, without its prefix; else the last line; else 'no output'", () => {
    expect(firstErrorLine('W1130 warning line\n  error:   the server has asked for the client to provide credentials  \nerror: second\n')).toBe('the server has asked for the client to provide credentials');
    expect(firstErrorLine('Error: capitalised\n')).toBe('capitalised');
    expect(firstErrorLine('first\nlast\n\n')).toBe('last');
    expect(firstErrorLine('')).toBe('no output');
  });

  it('forbidden: log in as a cluster administrator; logged out: this client\'s login advice; else the words alone', () => {
    expect(clientError(oc, 'list nodes', failed('Error from server (Forbidden): nodes is forbidden: User "dev" cannot list resource "nodes"')).message).toBe(
      'cannot list nodes: Error from server (Forbidden): nodes is forbidden: User "dev" cannot list resource "nodes": log in as a cluster administrator',
    );
    expect(clientError(oc, 'list nodes', failed('error: You must be logged in to the server (Unauthorized)')).message).toBe(
      'cannot list nodes: You must be logged in to the server (Unauthorized): run `oc login`',
    );
    expect(clientError(oc, 'list nodes', failed('Unable to connect to the server: dial tcp: lookup api.example: no such host')).message).toBe(
      'cannot list nodes: Unable to connect to the server: dial tcp: lookup api.example: no such host',
    );
    expect(clientError(oc, 'list nodes', { ...failed(''), failedToStart: 'spawn oc ENOENT' }).message).toBe('cannot list nodes: spawn oc ENOENT');
  });

  it("a type the server does not serve, in kubectl's words; JSON the client did not print", () => {
    expect(isUnservedType(failed('error: the server doesn\'t have a resource type "imagedigestmirrorsets"'))).toBe(true);
    expect(isUnservedType(failed('error: resource mapping not found for name: "x" namespace: "" from "STDIN": no matches for kind "ImageDigestMirrorSet" in version "config.openshift.io/v1"'))).toBe(true);
    expect(isUnservedType(failed('Error from server (NotFound): the server could not find the requested resource'))).toBe(true);
    expect(isUnservedType(failed('Error from server (Forbidden): forbidden'))).toBe(false);
    expect(clientJson('{"items":[]}', 'list nodes')).toEqual({ items: [] });
    expect(() => clientJson('<html>', 'list nodes')).toThrow('cannot list nodes: the client printed something that is not JSON');
  });

  it('a warning alone, and trimmed lines', () => {
    expect(summarizeClientTalk(['  warning: Container x is unable to start  ', ''])).toBe('Container x is unable to start');
    expect(summarizeClientTalk([])).toBeNull();
  });
});
