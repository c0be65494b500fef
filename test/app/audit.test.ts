// audit, run in-process against the table-driven client: the calls it makes, the journal it
// reads (the OpenShift docs' real CRI-O journal, test/fixtures/crio-journal), the findings it
// draws from the cluster's policies, and the outcome that becomes its exit code.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { audit, auditOutcome, isoTime } from '../../src/app/audit.js';
import { openClient } from '../../src/oc/client.js';
import { POLICY_RESOURCES } from '../../src/oc/cluster.js';
import { type Expected, fakeRunner, unservedImagePolicyReads } from '../fake-runner.js';
import { findingsSaid } from '../words.js';
import { FakeClock } from '../fake-clock.js';

const JOURNAL = readFileSync('test/fixtures/crio-journal/openshift-docs-35283.log', 'utf8');
const SOURCE = 'quay.io/openshift-release-dev/ocp-release';
const TAG_PULL = `${SOURCE}:4.8.4-ppc64le`;
// The journal's times are CRI-O's (UTC), on 2021-08-05.
const SINCE = new Date('2021-08-05T00:00:00Z');
const UNTIL = new Date('2021-08-06T00:00:00Z');

const readyNode = (name: string, ready = true) => ({
  metadata: { name, labels: {}, annotations: {} },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', reason: ready ? 'KubeletReady' : 'KubeletNotReady', message: ready ? '' : 'PLEG is not healthy' }] },
});
const list = (items: object[]) => ({ stdout: JSON.stringify({ items }) });
const icsp = { apiVersion: 'operator.openshift.io/v1alpha1', metadata: { name: 'release' }, spec: { repositoryDigestMirrors: [{ source: SOURCE, mirrors: ['mirror.corp.example:5000/ocp/release'] }] } };
const itms = { apiVersion: 'config.openshift.io/v1', metadata: { name: 'tags' }, spec: { imageTagMirrors: [{ source: SOURCE, mirrors: ['mirror.corp.example:5000/ocp/release'] }] } };

/** `oc version -o json` of a server of that Kubernetes minor (1.31: OpenShift 4.18). */
const serverVersion = (minor = 31): Expected => ({ args: ['version', '-o', 'json'], result: { stdout: JSON.stringify({ serverVersion: { major: '1', minor: String(minor), gitVersion: `v1.${minor}.14` } }) } });

function cluster(nodes: object[], policies: { icsp?: object[]; itms?: object[] }, logs: Expected[], minor = 31): Expected[] {
  return [
    { args: ['whoami'], result: { stdout: 'system:admin\n' } },
    { args: ['get', 'nodes', '-o', 'json'], result: list(nodes) },
    { args: ['get', POLICY_RESOURCES.ImageContentSourcePolicy, '-o', 'json'], result: list(policies.icsp ?? []) },
    { args: ['get', POLICY_RESOURCES.ImageDigestMirrorSet, '-o', 'json'], result: list([]) },
    { args: ['get', POLICY_RESOURCES.ImageTagMirrorSet, '-o', 'json'], result: list(policies.itms ?? []) },
    ...unservedImagePolicyReads(),
    { args: ['get', 'images.config.openshift.io', 'cluster', '-o', 'json', '--ignore-not-found'] },
    serverVersion(minor),
    ...logs,
  ];
}
// An answer as journalctl writes it: whole lines, each with its newline; "-- No entries --" when
// nothing is in the window (systemd journalctl.c, `if (n_shown == 0 && !arg_quiet)`).
const answer = (stdout: string) => (stdout === '' ? '-- No entries --\n' : stdout.endsWith('\n') ? stdout : `${stdout}\n`);
const nodeLogs = (node: string, since: RegExp, stdout: string, extra: Partial<Expected> = {}): Expected => ({
  args: ['adm', 'node-logs', node, '-u', 'crio', since, '--until=2021-08-06 00:00:00.000000'],
  result: { stdout: answer(stdout) },
  ...extra,
});
const request = (over: Partial<Parameters<typeof audit>[0]> = {}) => ({ filter: undefined, since: SINCE, until: UNTIL, selector: undefined, nodeNames: undefined, parallel: 5, timeoutMs: 10_000, ...over });

describe('audit', () => {
  it('reads each journal from --since, again from its last line until nothing new, and finds a tag pull under digest-only mirrors', async () => {
    const runner = fakeRunner(
      cluster([readyNode('w0')], { icsp: [icsp] }, [
        nodeLogs('w0', /^--since=2021-08-05 00:00:00\.000000$/, JOURNAL),
        // The next answer starts at the last line read: it brings that line again, and nothing new.
        nodeLogs('w0', /^--since=2021-08-05 10:33:21\.597931$/, JOURNAL.trim().split('\n').at(-1)!),
      ]),
    );
    const result = await audit(request(), openClient('oc', runner), new AbortController().signal);
    expect(result.since).toBe('2021-08-05T00:00:00.000Z');
    expect(result.nodes).toHaveLength(1);
    expect(result.nodes[0]).toMatchObject({ name: 'w0', error: null, complete: true, readUpTo: expect.stringMatching(/^2021-08-05/) });
    expect(result.nodes[0]!.pulls).toEqual([
      {
        image: TAG_PULL,
        at: '2021-08-05T10:33:21.594Z',
        outcome: 'open',
        servedBy: null,
        mirror: null,
        attempts: [{ reference: TAG_PULL, at: '2021-08-05T10:33:21.597Z', mirror: false, reason: null, message: null }],
        error: null,
      },
    ]);
    expect(findingsSaid(result.findings)).toEqual([
      { kind: 'tag-under-digest-only', node: 'w0', image: TAG_PULL, at: '2021-08-05T10:33:21.594Z', detail: expect.stringContaining('ImageContentSourcePolicy/release mirror digest pulls only') },
    ]);
    expect(auditOutcome(result)).toBe('findings');
  });

  it('a filter that matches nothing: no pulls, no findings, clean; a node not Ready is reported, not read', async () => {
    const runner = fakeRunner(
      cluster([readyNode('w0'), readyNode('w1', false)], { itms: [itms] }, [
        nodeLogs('w0', /^--since=2021-08-05 00:00:00\.000000$/, JOURNAL),
        nodeLogs('w0', /^--since=2021-08-05 10:33:21\.597931$/, JOURNAL.trim().split('\n').at(-1)!),
      ]),
    );
    const result = await audit(request({ filter: 'registry.example.com/other' }), openClient('oc', runner), new AbortController().signal);
    expect(result.nodes.map((n) => [n.name, n.pulls.length, n.error, n.complete])).toEqual([
      ['w0', 0, null, true],
      ['w1', 0, 'node is not Ready: PLEG is not healthy', false],
    ]);
    expect(findingsSaid(result.findings)).toEqual([]);
    // A node that could not be read leaves no "no findings" to give.
    expect(auditOutcome(result)).toBe('findings');
    expect(auditOutcome({ ...result, nodes: [result.nodes[0]!] })).toBe('clean');
  });

  it('4.12 and 4.13 read two boots: a window that holds an older one is said to, and the node is not complete', async () => {
    const probe = (stdout: string): Expected => ({ args: ['adm', 'node-logs', 'w0', '-u', 'crio', /^--since=/, '--until=2021-08-06 00:00:00.000000', '--boot=-2', '--tail=1'], result: { stdout } });
    const logs = [
      nodeLogs('w0', /^--since=2021-08-05 00:00:00\.000000$/, JOURNAL),
      nodeLogs('w0', /^--since=2021-08-05 10:33:21\.597931$/, JOURNAL.trim().split('\n').at(-1)!),
    ];
    const older = await audit(request(), openClient('oc', fakeRunner(cluster([readyNode('w0')], {}, [...logs, probe(`${JOURNAL.split('\n')[0]}\n`)], 25))), new AbortController().signal);
    expect(older.nodes[0]).toMatchObject({ complete: false, olderBoots: true, error: null });
    const none = await audit(request(), openClient('oc', fakeRunner(cluster([readyNode('w0')], {}, [...logs, probe('')], 25))), new AbortController().signal);
    expect(none.nodes[0]).toMatchObject({ complete: true, olderBoots: false });
    // 4.14 and later read every boot: nothing to ask.
    const current = await audit(request(), openClient('oc', fakeRunner(cluster([readyNode('w0')], {}, logs, 27))), new AbortController().signal);
    expect(current.nodes[0]).toMatchObject({ complete: true, olderBoots: false });
  });

  it('an answer in which the kubelet read no journal (its native-logger check failed) is an error, not a clean node', async () => {
    // 4.14+: openshift/kubernetes pkg/kubelet/kubelet_server_journal.go copyForBoot answers 200 with only this.
    const said = '\noptions present and query resolved to log files for [crio crio]\ntry without specifying options\n';
    const runner = fakeRunner(cluster([readyNode('w0')], {}, [{ args: ['adm', 'node-logs', 'w0', '-u', 'crio', /^--since=/, '--until=2021-08-06 00:00:00.000000'], result: { stdout: said } }]));
    const result = await audit(request(), openClient('oc', runner), new AbortController().signal);
    expect(result.nodes[0]).toMatchObject({
      complete: false,
      pulls: [],
      error: "the kubelet did not read crio's journal (options present and query resolved to log files for [crio crio] try without specifying options): its check that crio logs to the journal failed or ran out of time; run audit again",
    });
    expect(auditOutcome(result)).not.toBe('clean');
  });

  it('a journal the client could not read says why, and is not complete', async () => {
    const runner = fakeRunner(
      cluster([readyNode('w0')], {}, [nodeLogs('w0', /^--since=/, '', { result: { exitCode: 1, stdout: '', stderr: 'error: the server could not find the requested resource' } })]),
    );
    const result = await audit(request(), openClient('oc', runner), new AbortController().signal);
    expect(result.nodes[0]).toMatchObject({ error: 'error: the server could not find the requested resource', complete: false });
  });

  it('--nodes: only those, in the order given; a name the cluster lacks is refused, all of them named', async () => {
    const calls = (names: string[]) => cluster([readyNode('w0'), readyNode('w1'), readyNode('w2')], {}, names.flatMap((n) => [nodeLogs(n, /^--since=2021-08-05 00:00:00\.000000$/, '')]));
    const result = await audit(request({ nodeNames: ['w2', 'w0'] }), openClient('oc', fakeRunner(calls(['w2', 'w0']))), new AbortController().signal);
    expect(result.nodes.map((n) => [n.name, n.complete])).toEqual([['w0', true], ['w2', true]]);
    // Refused as soon as the nodes are listed: the policies are not read.
    const missing = fakeRunner(cluster([readyNode('w0')], {}, []).slice(0, 2));
    await expect(audit(request({ nodeNames: ['w0', 'x1', 'x2'] }), openClient('oc', missing), new AbortController().signal)).rejects.toThrow('no such nodes: x1, x2 (see `oc get nodes`)');
    const one = fakeRunner(cluster([readyNode('w0')], {}, []).slice(0, 2));
    await expect(audit(request({ nodeNames: ['x1'] }), openClient('oc', one), new AbortController().signal)).rejects.toThrow(/^no such node: x1 /);
  });

  it('a filter keeps an image named exactly, or the repositories under a prefix (with or without its slash), and nothing beside it', async () => {
    const read = async (filter: string) => {
      const runner = fakeRunner(
        cluster([readyNode('w0')], { icsp: [icsp] }, [
          nodeLogs('w0', /^--since=2021-08-05 00:00:00\.000000$/, JOURNAL),
          nodeLogs('w0', /^--since=2021-08-05 10:33:21\.597931$/, JOURNAL.trim().split('\n').at(-1)!),
        ]),
      );
      return (await audit(request({ filter }), openClient('oc', runner), new AbortController().signal)).nodes[0]!.pulls.map((p) => p.image);
    };
    expect(await read(TAG_PULL)).toEqual([TAG_PULL]);
    expect(await read('quay.io/openshift-release-dev/')).toEqual([TAG_PULL]);
    expect(await read('quay.io/openshift-release-dev')).toEqual([TAG_PULL]);
    expect(await read('quay.io/openshift-release')).toEqual([]);
    expect(await read(SOURCE)).toEqual([TAG_PULL]);
  });

  it('a read the client ends with no word: its exit code; a read cut at the deadline: no error, not complete', async () => {
    const silent = fakeRunner(cluster([readyNode('w0')], {}, [nodeLogs('w0', /^--since=/, '', { result: { exitCode: 3, stdout: '', stderr: '' } })]));
    expect((await audit(request(), openClient('oc', silent), new AbortController().signal)).nodes[0]).toMatchObject({ error: 'exit code 3', complete: false });
    const clock = new FakeClock();
    const slow = fakeRunner(cluster([readyNode('w0')], {}, [nodeLogs('w0', /^--since=/, '', { hang: true })]), '/usr/bin/oc', clock);
    const running = audit(request({ timeoutMs: 45_000 }), openClient('oc', slow), new AbortController().signal, clock);
    const result = await clock.runUntil(running);
    expect(result.nodes[0]).toMatchObject({ error: null, complete: false });
    expect(slow.stopped).toHaveLength(1);
    expect(auditOutcome(result)).toBe('findings');
  });

  it('interrupted before a node was read: it says so', async () => {
    const controller = new AbortController();
    controller.abort();
    const runner = fakeRunner(cluster([readyNode('w0')], {}, []));
    const result = await audit(request(), openClient('oc', runner), controller.signal);
    expect(result.nodes[0]).toMatchObject({ name: 'w0', error: 'interrupted', complete: false, pulls: [] });
  });

  it('kubectl has no adm node-logs: refused before any call, saying to use oc', async () => {
    await expect(audit(request(), openClient('kubectl', fakeRunner([])), new AbortController().signal)).rejects.toThrow(
      'audit reads node journals with `oc adm node-logs`, which kubectl lacks: run it with oc (--client oc)',
    );
  });
});

describe('isoTime', () => {
  it.each([
    ['2026-11-30 03:48:59.356000000Z', '2026-11-30T03:48:59.356Z'],
    ['2026-11-30T03:48:59Z', '2026-11-30T03:48:59.000Z'],
    ['Nov 30 03:48:59.123456', '2026-11-30T03:48:59.123Z'],
  ])('%s', (at, iso) => expect(isoTime(at, new Date('2026-11-30T06:00:00Z'))).toBe(iso));
});

describe('audit findings, from pulls built as the crio-journal tests build them', () => {
  // CRI-O's messages (cri-o server/image_pull.go "Pulling image: %s", "Pulled image: %s", "Error
  // pulling image %s: %v"; containers/image docker/docker_image_src.go "Trying to access %q") in
  // the journal prefix and logrus layout of openshift-docs-35283.log, as test/fixtures/crio-journal says.
  let clock = 0;
  const line = (msg: string, id?: string) => {
    clock += 1;
    const t = `10:40:${String(clock).padStart(2, '0')}.000001`;
    return `Aug 05 ${t} ip-10-0-138-140.ec2.internal crio[1366]: time="2021-08-05 ${t}000Z" level=info msg="${msg.replaceAll('"', '\\"')}"${id ? ` id=${id} name=/runtime.v1.ImageService/PullImage` : ''}`;
  };
  const D = `sha256:${'d'.repeat(64)}`;
  const SRC = `${SOURCE}@${D}`;
  const MIRROR = `mirror.corp.example:5000/ocp/release@${D}`;
  const run = async (journal: string) => {
    const runner = fakeRunner(
      cluster([readyNode('w0')], { icsp: [icsp] }, [
        nodeLogs('w0', /^--since=2021-08-05 00:00:00\.000000$/, journal),
        nodeLogs('w0', /^--since=2021-08-05 10:40:/, journal.split('\n').at(-1)!),
      ]),
    );
    return audit(request(), openClient('oc', runner), new AbortController().signal);
  };

  it('served by the source although a policy covers it, after the mirror failed: a silent fallback, naming the mirror', async () => {
    const result = await run([line(`Pulling image: ${SRC}`, 'a'), line(`Trying to access "${MIRROR}"`), line(`Trying to access "${SRC}"`), line(`Pulled image: ${SRC}`, 'a')].join('\n'));
    expect(result.nodes[0]!.pulls[0]).toMatchObject({ outcome: 'succeeded', servedBy: SRC, mirror: false });
    expect(findingsSaid(result.findings)).toEqual([
      { kind: 'silent-fallback', node: 'w0', image: SRC, at: expect.any(String), detail: 'served by the source after 1 mirror(s) failed (mirror.corp.example:5000), although ImageContentSourcePolicy/release covers it' },
    ]);
  });

  it('served by the mirror: no finding; failed on every mirror: a finding with the error', async () => {
    const served = await run([line(`Pulling image: ${SRC}`, 'a'), line(`Trying to access "${MIRROR}"`), line(`Pulled image: ${SRC}`, 'a')].join('\n'));
    expect(served.nodes[0]!.pulls[0]).toMatchObject({ outcome: 'succeeded', servedBy: MIRROR, mirror: true });
    expect(served.findings).toEqual([]);
    expect(auditOutcome(served)).toBe('clean');
    const error = `initializing source docker://${SRC}: (Mirrors also failed: [${MIRROR}: reading manifest ${D} in mirror.corp.example:5000/ocp/release: manifest unknown]): ${SRC}: pinging container registry quay.io: Get "https://quay.io/v2/": dial tcp: lookup quay.io: no such host`;
    const failed = await run([line(`Pulling image: ${SRC}`, 'b'), line(`Trying to access "${MIRROR}"`), line(`Trying to access "${SRC}"`), line(`Error pulling image ${SRC}: ${error}`, 'b')].join('\n'));
    expect(findingsSaid(failed.findings)).toEqual([{ kind: 'failed-on-every-mirror', node: 'w0', image: SRC, at: expect.any(String), detail: `1 mirror(s) tried, none served it: ${error}` }]);
    expect(failed.nodes[0]!.pulls[0]!.attempts.map((a) => [a.mirror, a.reason])).toEqual([[true, 'manifest-unknown'], [false, 'dns']]);
  });

  it('a pull the signature policy stopped on the mirror that served: its own finding, missing or refused', async () => {
    // The error as CRI-O 1.32+ returns it: cri-o internal/storage/image.go WrapSignatureCRIErrorIfNeeded
    // over containers/image's copy/single.go and signature/policy_eval_sigstore.go texts.
    const missing = 'SignatureValidationFailed: Source image rejected: A signature was required, but no signature exists';
    const r = await run([line(`Pulling image: ${SRC}`, 'c'), line(`Trying to access "${MIRROR}"`), line(`Error pulling image ${SRC}: ${missing}`, 'c')].join('\n'));
    expect(findingsSaid(r.findings)).toEqual([
      { kind: 'signature-refused', node: 'w0', image: SRC, at: expect.any(String), detail: `no signature on mirror mirror.corp.example:5000/ocp/release, which served the manifest: CRI-O tried nothing after it (${missing})` },
    ]);
    const refused = 'SignatureValidationFailed: Source image rejected: None of the signatures were accepted, reasons: cryptographic signature verification failed';
    const r2 = await run([line(`Pulling image: ${SRC}`, 'd'), line(`Trying to access "${MIRROR}"`), line(`Error pulling image ${SRC}: ${refused}`, 'd')].join('\n'));
    expect(r2.findings[0]).toMatchObject({ kind: 'signature-refused', missing: false, mirror: true });
  });
});
