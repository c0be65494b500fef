// CRI-O journal text into pulls: real pasted journals (test/fixtures/crio-journal/README.md)
// and, where those stop, lines built from CRI-O's and containers/image's own format strings.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { journalLineTime, passesPerPull, readCrioJournal } from '../../src/pull-log/crio-journal.js';
import { readLogLine } from '../../src/pull-log/logrus.js';

const fixture = (name: string) => readFileSync(`test/fixtures/crio-journal/${name}.log`, 'utf8');

// The journal prefix and logrus layout of openshift-docs-35283.log, around a message.
const HOST = 'ip-10-0-138-140.ec2.internal';
let clock = 0;
function line(msg: string, id?: string, level = 'info'): string {
  clock += 1;
  // A second a line from 10:33:22, minutes rolling over, so that every line keeps journalctl's form.
  const at = 10 * 3600 + 33 * 60 + 21 + clock;
  const t = [Math.floor(at / 3600), Math.floor(at / 60) % 60, at % 60].map((n) => String(n).padStart(2, '0')).join(':') + '.594996';
  const fields = id ? ` id=${id} name=/runtime.v1.ImageService/PullImage` : '';
  return `Aug 05 ${t} ${HOST} crio[1366]: time="2021-08-05 ${t}907Z" level=${level} msg="${msg.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"${fields}`;
}

describe('real journals', () => {
  it('OpenShift docs example: a pull and the source it tried, still open', () => {
    const { pulls } = readCrioJournal(fixture('openshift-docs-35283'));
    expect(pulls).toEqual([
      {
        host: HOST,
        image: 'quay.io/openshift-release-dev/ocp-release:4.8.4-ppc64le',
        id: 'abcd713b-d0e1-4844-ac1c-474c5b60c07c',
        at: '2021-08-05 10:33:21.594930907Z',
        attempts: [{ reference: 'quay.io/openshift-release-dev/ocp-release:4.8.4-ppc64le', at: '2021-08-05 10:33:21.597839071Z', reason: null, message: null }],
        outcome: 'open',
        pulledRef: null,
        error: null,
      },
    ]);
  });

  it('a debug journal: file= fields and RFC 3339 times are read; an attempt with no pull asked for is not invented', () => {
    const text = fixture('test-infra-34263');
    const trying = text.split('\n')[2]!;
    expect(readLogLine(trying.slice(trying.indexOf('time=')))).toEqual({
      level: 'info',
      message: 'Trying to access "registry.k8s.io/e2e-test-images/sample-device-plugin:1.7"',
      time: '2025-02-04T13:31:15.849181485Z',
      fields: { file: 'docker/docker_image_src.go:96' },
    });
    expect(readCrioJournal(text).pulls).toEqual([]);
  });
});

describe('pulls rebuilt from the format strings', () => {
  const D1 = `sha256:${'1'.repeat(64)}`;
  const D2 = `sha256:${'2'.repeat(64)}`;

  it('overlapping pulls: each attempt goes to its own image, the last attempt served it', () => {
    const text = [
      line(`Pulling image: registry.example.com/team/app@${D1}`, 'id-1'),
      line(`Pulling image: registry.example.com/team/db@${D2}`, 'id-2'),
      line(`Trying to access "mirror.corp:5000/team/app@${D1}"`),
      line(`Trying to access "mirror.corp:5000/team/db@${D2}"`),
      line(`Accessing "mirror.corp:5000/team/db@${D2}" failed: reading manifest ${D2} in mirror.corp:5000/team/db: manifest unknown`, undefined, 'debug'),
      line(`Trying to access "registry.example.com/team/db@${D2}"`),
      line(`Pulled image: registry.example.com/team/app@${D1}`, 'id-1'),
      line(`Pulled image: registry.example.com/team/db@${D2}`, 'id-2'),
    ].join('\n');
    const { pulls } = readCrioJournal(text);
    expect(pulls.map((p) => [p.image.split('/').at(-1), p.outcome, p.attempts.map((a) => [a.reference.split('/')[0], a.reason])])).toEqual([
      [`app@${D1}`, 'succeeded', [['mirror.corp:5000', null]]],
      [`db@${D2}`, 'succeeded', [['mirror.corp:5000', 'manifest-unknown'], ['registry.example.com', null]]],
    ]);
  });

  it('a failed pull with the Mirrors also failed text gives each attempt its error', () => {
    const error = `initializing source docker://registry.example.com/team/app@${D1}: (Mirrors also failed: [mirror.corp:5000/team/app@${D1}: reading manifest ${D1} in mirror.corp:5000/team/app: manifest unknown]): registry.example.com/team/app@${D1}: pinging container registry registry.example.com: Get "https://registry.example.com/v2/": dial tcp: lookup registry.example.com on 172.30.0.10:53: no such host`;
    const text = [
      line(`Pulling image: registry.example.com/team/app@${D1}`, 'id-1'),
      line(`Trying to access "mirror.corp:5000/team/app@${D1}"`),
      line(`Trying to access "registry.example.com/team/app@${D1}"`),
      line(`Error pulling image registry.example.com/team/app@${D1}: ${error}`, 'id-1', 'debug'),
    ].join('\n');
    const [pull] = readCrioJournal(text).pulls;
    expect(pull!.outcome).toBe('failed');
    expect(pull!.attempts.map((a) => a.reason)).toEqual(['manifest-unknown', 'dns']);
  });

  const start = (version: string) => line(`Starting CRI-O, version: ${version}, git: unknown(clean)`);
  const M = `mirror.corp:5000/team/app@${D1}`;
  const S = `registry.example.com/team/app@${D1}`;

  it('two pods at once: CRI-O merges the second request into the first pull; each gets its own Pulled line', () => {
    const text = [
      start('1.31.6-2.rhaos4.18.git5f2d6e2.el9'),
      line(`Pulling image: ${S}`, 'a'),
      line(`Pulling image: ${S}`, 'b'),
      line(`Trying to access "${M}"`),
      line(`Pulled image: ${S}`, 'a'),
      line(`Pulled image: ${S}`, 'b'),
    ].join('\n');
    expect(readCrioJournal(text).pulls.map((p) => [p.id, p.outcome, p.attempts.map((a) => a.reference)])).toEqual([
      ['a', 'succeeded', [M]],
      ['b', 'succeeded', [M]],
    ]);
  });

  it('CRI-O 1.25 to 1.30 open the source twice for one pull: the attempts are counted once', () => {
    const text = [start('1.30.14-6.rhaos4.17.gitfa27f6f.el9'), line(`Pulling image: ${S}`, 'a'), ...[M, S, M, S].map((r) => line(`Trying to access "${r}"`))].join('\n');
    const [pull] = readCrioJournal(text).pulls;
    expect(pull!.attempts.map((a) => a.reference)).toEqual([M, S]);
    // At info level a failure leaves no line: the pull has no result, it is not a failure.
    expect(pull!.outcome).toBe('open');
  });

  for (const [version, passes] of [['1.31.6-2.rhaos4.18.git5f2d6e2.el9', 1], ['1.30.14-6.rhaos4.17.gitfa27f6f.el9', 2]] as const) {
    it(`CRI-O ${version.slice(0, 4)}: a new pass over the sources after a later request is a new pull; the first ended without success`, () => {
      const pass = () => Array.from({ length: passes }, () => [M, S].map((r) => line(`Trying to access "${r}"`))).flat();
      const text = [start(version), line(`Pulling image: ${S}`, 'a'), ...pass(), line(`Pulling image: ${S}`, 'b'), ...pass()].join('\n');
      expect(readCrioJournal(text).pulls.map((p) => [p.id, p.outcome, p.attempts.map((a) => a.reference)])).toEqual([
        ['a', 'failed', [M, S]],
        ['b', 'open', [M, S]],
      ]);
    });
  }

  it('CRI-O starts and registry reloads are events', () => {
    const text = [line('Starting CRI-O, version: 1.30.14-6.rhaos4.17.gitfa27f6f.el9, git: unknown(clean)'), line('Applied new registry configuration: &{Registries:[] UnqualifiedSearchRegistries:[]}')].join('\n');
    expect(readCrioJournal(text).events.map((e) => e.kind)).toEqual(['start', 'reload']);
  });

  it('a failed registry reload is an event too; other lines are none', () => {
    // cri-o pkg/config ReloadRegistries: "system registries reload failed: %s: %w", logged as an error.
    const failed = 'system registries reload failed: /etc/containers/registries.conf: loading registries configuration: invalid location';
    const text = [line(failed, undefined, 'error'), line('Checking image status: x', 'c')].join('\n');
    expect(readCrioJournal(text).events.map((e) => [e.kind, e.message])).toEqual([['reload-failed', failed]]);
  });

  it("a request merged into a pull that failed fails with that pull's error", () => {
    const error = `initializing source docker://${S}: ${S}: pinging container registry registry.example.com: no such host`;
    const text = [line(`Pulling image: ${S}`, 'a'), line(`Pulling image: ${S}`, 'b'), line(`Trying to access "${S}"`), line(`Error pulling image ${S}: ${error}`, 'a')].join('\n');
    expect(readCrioJournal(text).pulls.map((p) => [p.id, p.outcome, p.error, p.attempts.length, p.joined ?? false])).toEqual([
      ['a', 'failed', error, 1, false],
      ['b', 'failed', error, 1, true],
    ]);
  });

  it("a Pulled line without an id finds its pull by the reference; another host's lines are not this host's", () => {
    const other = (msg: string, id?: string) => line(msg, id).replace('ip-10-0-138-140.ec2.internal', 'ip-10-0-1-1.ec2.internal');
    const text = [line(`Pulling image: ${S}`, 'a'), other(`Pulling image: ${S}`, 'x'), line(`Trying to access "${M}"`), line(`Pulled image: ${S}`), other(`Trying to access "${S}"`)].join('\n');
    expect(readCrioJournal(text).pulls.map((p) => [p.host, p.outcome, p.attempts.map((a) => a.reference)])).toEqual([
      [HOST, 'succeeded', [M]],
      ['ip-10-0-1-1.ec2.internal', 'open', [S]],
    ]);
  });

  it('at debug level, "Accessing … failed" gives its attempt the message and reason', () => {
    const text = [line(`Pulling image: ${S}`, 'a'), line(`Trying to access "${M}"`), line(`Accessing "${M}" failed: reading manifest in mirror.corp:5000/team/app: manifest unknown`, undefined, 'debug'), line(`Trying to access "${S}"`)].join('\n');
    expect(readCrioJournal(text).pulls[0]!.attempts.map((a) => [a.reference, a.reason, a.message])).toEqual([
      [M, 'manifest-unknown', 'reading manifest in mirror.corp:5000/team/app: manifest unknown'],
      [S, null, null],
    ]);
  });

  it('the source a pull tried belongs to the open pull with the same digest and the longest shared path', () => {
    const other = `registry.example.com/ops/app@${D2}`;
    const text = [line(`Pulling image: ${S}`, 'a'), line(`Pulling image: ${other}`, 'b'), line(`Trying to access "mirror.corp:5000/ops/app@${D2}"`), line(`Trying to access "mirror.corp:5000/x/team/app@${D1}"`)].join('\n');
    expect(readCrioJournal(text).pulls.map((p) => [p.id, p.attempts.map((a) => a.reference)])).toEqual([
      ['a', [`mirror.corp:5000/x/team/app@${D1}`]],
      ['b', [`mirror.corp:5000/ops/app@${D2}`]],
    ]);
  });
});

describe('which pull an attempt belongs to: the tag or digest, then the path', () => {
  const D1 = `sha256:${'1'.repeat(64)}`;
  const trying = (ref: string) => line(`Trying to access "${ref}"`);
  const attemptsOf = (text: string) => readCrioJournal(text).pulls.map((p) => [p.id, p.attempts.map((a) => a.reference)]);

  it('tag pulls: an attempt goes to the pull of the same tag, never to another tag of the repository', () => {
    const text = [line('Pulling image: registry.example.com/team/app:1.0', 'a'), line('Pulling image: registry.example.com/team/app:2.0', 'b'), trying('mirror.corp:5000/team/app:2.0'), trying('mirror.corp:5000/team/app:1.0')].join('\n');
    expect(attemptsOf(text)).toEqual([
      ['a', ['mirror.corp:5000/team/app:1.0']],
      ['b', ['mirror.corp:5000/team/app:2.0']],
    ]);
  });

  it('a registry port is not a tag, and a tag beside a digest does not count: the digest does', () => {
    const text = [
      line('Pulling image: registry.example.com:8443/team/app', 'a'),
      line(`Pulling image: registry.example.com/team/app:1.0@${D1}`, 'b'),
      trying(`mirror.corp:5000/team/app@${D1}`),
      trying('mirror.corp:5000/team/app'),
    ].join('\n');
    expect(attemptsOf(text)).toEqual([
      ['a', ['mirror.corp:5000/team/app']],
      ['b', [`mirror.corp:5000/team/app@${D1}`]],
    ]);
  });

  it('an attempt whose tag or digest no open pull has is nobody\'s', () => {
    const text = [line('Pulling image: registry.example.com/team/app:1.0', 'a'), trying('mirror.corp:5000/team/app:1.1'), trying(`mirror.corp:5000/team/app@${D1}`)].join('\n');
    expect(attemptsOf(text)).toEqual([['a', []]]);
  });

  it('of two pulls sharing the path tail equally, the later one takes the attempt', () => {
    const text = [line(`Pulling image: registry.example.com/a/app@${D1}`, 'a'), line(`Pulling image: registry.example.com/b/app@${D1}`, 'b'), trying(`mirror.corp:5000/app@${D1}`)].join('\n');
    expect(attemptsOf(text)).toEqual([['a', []], ['b', [`mirror.corp:5000/app@${D1}`]]]);
  });

  it('a pull with no mirror: its one attempt takes the whole error; with mirrors, an error naming none of them explains none', () => {
    const error = 'initializing source docker://registry.example.com/team/app:1.0: pinging container registry registry.example.com: Get "https://registry.example.com/v2/": dial tcp: lookup registry.example.com: no such host';
    const alone = [line('Pulling image: registry.example.com/team/app:1.0', 'a'), trying('registry.example.com/team/app:1.0'), line(`Error pulling image registry.example.com/team/app:1.0: ${error}`, 'a', 'debug')].join('\n');
    expect(readCrioJournal(alone).pulls[0]!.attempts.map((a) => [a.reason, a.message])).toEqual([['dns', error]]);
    const two = [line('Pulling image: registry.example.com/team/app:1.0', 'a'), trying('mirror.corp:5000/team/app:1.0'), trying('registry.example.com/team/app:1.0'), line('Error pulling image registry.example.com/team/app:1.0: context canceled', 'a', 'debug')].join('\n');
    expect(readCrioJournal(two).pulls[0]!.attempts.map((a) => [a.reason, a.message])).toEqual([[null, null], [null, null]]);
  });

  it('an error that starts with the attempt\'s reference is that attempt\'s', () => {
    const ref = 'registry.example.com/team/app:1.0';
    const text = [line(`Pulling image: ${ref}`, 'a'), trying(ref), trying('registry.example.com/team/app:1.0-extra'), line(`Error pulling image ${ref}: ${ref}: reading manifest 1.0 in registry.example.com/team/app: manifest unknown`, 'a', 'debug')].join('\n');
    expect(readCrioJournal(text).pulls[0]!.attempts.map((a) => [a.reference, a.reason, a.message])).toEqual([[ref, 'manifest-unknown', 'reading manifest 1.0 in registry.example.com/team/app: manifest unknown']]);
  });
});

describe('when journalctl says a line was written', () => {
  // The first line of openshift-docs-35283.log (journalctl -o short-precise: no year, UTC here).
  const [docs] = fixture('openshift-docs-35283').split('\n') as [string];
  // The first line of test-infra-34263.log (journalctl's short form: whole seconds).
  const [fcos] = fixture('test-infra-34263').split('\n') as [string];

  it('the time and its microseconds, in the year of the read', () => {
    const t = journalLineTime(docs, new Date('2021-08-06T00:00:00Z'))!;
    expect([t.at.toISOString(), t.micros]).toEqual(['2021-08-05T10:33:21.594Z', 594996]);
  });

  it('a month later in the year than the read is last year\'s', () => {
    expect(journalLineTime(docs, new Date('2022-03-01T00:00:00Z'))!.at.toISOString()).toBe('2021-08-05T10:33:21.594Z');
    expect(journalLineTime(docs, new Date('2021-08-31T00:00:00Z'))!.at.toISOString()).toBe('2021-08-05T10:33:21.594Z');
  });

  it('whole seconds have no microseconds', () => {
    const t = journalLineTime(fcos, new Date('2025-02-05T00:00:00Z'))!;
    expect([t.at.toISOString(), t.micros]).toEqual(['2025-02-04T13:31:15.000Z', 0]);
  });

  it('a line journalctl did not write is no time', () => {
    expect(journalLineTime(docs.slice(docs.indexOf('time=')), new Date())).toBeNull();
    expect(journalLineTime(docs.replace(/^Aug/, 'Agu'), new Date())).toBeNull();
  });
});

describe('passes over the sources per pull, by CRI-O version', () => {
  it.each([
    ['1.24.9', 1],
    ['1.25.0', 2],
    ['1.28.4-3.rhaos4.15.git1', 2],
    ['1.30.14', 2],
    ['1.31.0', 1],
    // 1.33.0 to 1.33.3 probe for an OCI artifact first (cri-o v1.33.0 internal/storage/image.go).
    ['1.33.2', 2],
    ['1.33.4', 1],
    ['1.35.1', 1],
    ['2.26.0', 1],
    ['1.3.0', 1],
    [null, 2],
    ['v1.28.0', 2],
  ] as const)('%s: %i', (version, passes) => expect(passesPerPull(version)).toBe(passes));
});

// CRI-O 1.33 to 1.36's OCI-artifact fallback, in lines built from its format strings
// (cri-o internal/storage/image.go at v1.33.0, v1.33.4, v1.35.1: "unable to try pulling possible
// OCI artifact: %w", "unable to pull image or OCI artifact: pull image err: %w; artifact err: %w",
// log.Infof "Falling back to pull %s as an OCI artifact: %v"; server/image_pull.go "Pulling
// image: %s", "Pulled image: %v", "Error pulling image %s: %v"), and containers/image's
// "Trying to access %q" (docker/docker_image_src.go).
describe('the OCI-artifact fallback (CRI-O 1.33 to 1.36)', () => {
  const D = `sha256:${'a'.repeat(64)}`;
  const SRC = `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D}`;
  const MIRROR = `mirror.corp.example:5000/ocp/art-dev@${D}`;
  const start = (version: string) => line(`Starting CRI-O, version: ${version}, git: unknown(clean)`);
  const c_image = `initializing source docker://${SRC}: (Mirrors also failed: [${MIRROR}: reading manifest ${D} in mirror.corp.example:5000/ocp/art-dev: manifest unknown]): ${SRC}: pinging container registry quay.io: Get "https://quay.io/v2/": dial tcp: lookup quay.io: no such host`;

  it('1.33.4 to 1.35.0: a failed pull goes over the sources twice (image, then artifact): one pull, its attempts once, the image error read', () => {
    const error = `unable to pull image or OCI artifact: pull image err: ${c_image}; artifact err: ${c_image}`;
    const { pulls } = readCrioJournal(
      [start('1.34.2'), line(`Pulling image: ${SRC}`, 'p1'), line(`Trying to access "${MIRROR}"`), line(`Trying to access "${SRC}"`), line(`Trying to access "${MIRROR}"`), line(`Trying to access "${SRC}"`), line(`Error pulling image ${SRC}: ${error}`, 'p1', 'debug')].join('\n'),
    );
    expect(pulls).toHaveLength(1);
    expect(pulls[0]!.attempts.map((a) => [a.reference, a.reason])).toEqual([
      [MIRROR, 'manifest-unknown'],
      [SRC, 'dns'],
    ]);
    expect(pulls[0]).toMatchObject({ outcome: 'failed', error });
  });

  it('1.33.0 to 1.33.3: the artifact probe goes first, then the image pull: one pull, served', () => {
    const { pulls } = readCrioJournal(
      [start('1.33.2'), line(`Pulling image: ${SRC}`, 'p2'), line(`Trying to access "${MIRROR}"`), line(`Trying to access "${MIRROR}"`), line(`Pulled image: ${SRC}`, 'p2')].join('\n'),
    );
    expect(pulls.map((p) => [p.outcome, p.attempts.map((a) => a.reference)])).toEqual([['succeeded', [MIRROR]]]);
    const probe = `unable to try pulling possible OCI artifact: ${c_image}`;
    const failed = readCrioJournal([start('1.33.2'), line(`Pulling image: ${SRC}`, 'p3'), line(`Trying to access "${MIRROR}"`), line(`Trying to access "${SRC}"`), line(`Error pulling image ${SRC}: ${probe}`, 'p3', 'debug')].join('\n'));
    expect(failed.pulls[0]!.attempts.map((a) => a.reason)).toEqual(['manifest-unknown', 'dns']);
  });

  it('1.35.1 and later: the fall back is said at info, with the image pull\'s error: failed, and the artifact pass is no new pull', () => {
    const { pulls } = readCrioJournal(
      [
        start('1.35.3'),
        line(`Pulling image: ${SRC}`, 'p4'),
        line(`Trying to access "${MIRROR}"`),
        line(`Trying to access "${SRC}"`),
        line(`Falling back to pull ${SRC} as an OCI artifact: ${c_image}`, 'p4'),
        line(`Trying to access "${MIRROR}"`),
        line(`Trying to access "${SRC}"`),
      ].join('\n'),
    );
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({ outcome: 'failed', error: c_image });
    expect(pulls[0]!.attempts.map((a) => a.reason)).toEqual(['manifest-unknown', 'dns']);
  });

  it('a fall back that the artifact pull then served: succeeded', () => {
    const { pulls } = readCrioJournal(
      [start('1.36.0'), line(`Pulling image: ${SRC}`, 'p5'), line(`Trying to access "${SRC}"`), line(`Falling back to pull ${SRC} as an OCI artifact: ${SRC}: manifest unknown`, 'p5'), line(`Trying to access "${SRC}"`), line(`Pulled image: ${SRC}`, 'p5')].join('\n'),
    );
    expect(pulls.map((p) => p.outcome)).toEqual(['succeeded']);
  });
});

