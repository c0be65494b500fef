// Completion against the sandbox: node names for --nodes come from the cluster, through the
// client the user typed, with the flags they typed; the bash script drives the program itself.
import { spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, canRunSandbox, envFor, requests, sandbox, type Sandbox, suiteDir, useSandbox } from './helpers.js';

let s: Sandbox;
const work = suiteDir('oc-icsp-completion');
useSandbox(work, [{ name: 'worker-0' }, { name: 'worker-1' }, { name: 'infra-0', role: 'infra' }], (created) => {
  s = created;
});

const complete = (words: string[], env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [BIN, '__complete', ...words], { encoding: 'utf8', env }).stdout;

describe.skipIf(!canRunSandbox)('completion from the cluster', () => {
  it('--nodes offers the node names, the last of a comma list included', () => {
    expect(complete(['verify', 'x', '--nodes', ''], envFor(s))).toBe('infra-0\nworker-0\nworker-1\n:4\n');
    expect(complete(['verify', 'x', '--nodes', 'worker-0,w'], envFor(s))).toBe('worker-0,worker-0\nworker-0,worker-1\n:4\n');
    expect(complete(['verify', 'x', '--nodes=in'], envFor(s))).toBe('--nodes=infra-0\n:4\n');
  });

  it('passes --context on to the lookup, and --context itself completes', () => {
    // Context prod carries a credential of its own: the lookup was made with it.
    const before = sandbox.ledger(s.dir).length;
    expect(complete(['verify', 'x', '--context', 'prod', '--nodes', ''], envFor(s))).toBe('infra-0\nworker-0\nworker-1\n:4\n');
    expect(new Set(requests(s, before).map((r) => r.credential))).toEqual(new Set(['prod']));
    expect(complete(['verify', '--context', 's'], envFor(s))).toBe('sandbox\n:4\n');
  });

  it('without a cluster: nothing, silently', () => {
    const run = spawnSync(process.execPath, [BIN, '__complete', 'verify', 'x', '--nodes', ''], { encoding: 'utf8', env: { PATH: '/nonexistent' } });
    expect(run.stdout).toBe(':4\n');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('the bash script completes through the program', () => {
    const bin = join(work, 'bin');
    spawnSync('mkdir', ['-p', bin]);
    symlinkSync(BIN, join(bin, 'oc-icsp'));
    const script = `source <(oc-icsp completion bash)
COMP_WORDS=(oc-icsp verify x --nodes wor); COMP_CWORD=4; _oc_icsp; printf '%s\\n' "\${COMPREPLY[@]}"
COMP_WORDS=(oc-icsp ex); COMP_CWORD=1; _oc_icsp; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const run = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { ...envFor(s), PATH: `${bin}:${envFor(s).PATH}` } });
    expect(run.stdout).toBe('worker-0\nworker-1\nexplain\n');
  });
});
