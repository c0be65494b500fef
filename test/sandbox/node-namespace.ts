// A node's mount namespace: the host with the node's own files (registries.conf, drop-ins,
// policy.json, registries.d, CRI-O's namespace policies, pull secret, container storage, proxy.env, CRI-O's tools) mounted over the host's paths,
// and the whole tree at /host, as a debug pod sees the node.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const NODE_MOUNTS: [from: string, to: string][] = [
  ['registries.conf', '/etc/containers/registries.conf'],
  ['registries.conf.d', '/etc/containers/registries.conf.d'],
  ['policy.json', '/etc/containers/policy.json'],
  ['registries.d', '/etc/containers/registries.d'],
  ['certs.d', '/etc/containers/certs.d'],
  ['crio-policies', '/etc/crio/policies'],
  ['kubelet', '/var/lib/kubelet'],
  ['storage', '/var/lib/containers/storage'],
  ['cache', '/var/lib/containers/cache'],
  ['run', '/run/containers/storage'],
  ['libpod', '/run/libpod'],
  ['mco', '/etc/mco'],
  ['sbin', '/usr/local/sbin'],
];

// The node's files over the host's paths, then the container's own files (its termination
// log), then the whole tree at /host, as a debug pod sees the node: `chroot /host` works for
// real. A node short of disk (a `disk-low` file in its folder) has a 64 MiB filesystem at
// /var/tmp and under its image store, as df sees them. A container file's mount point is made
// when missing, as a runtime makes it in a container's root (/dev/termination-log is then left
// on this machine, empty).
const MOUNT_SCRIPT = `set -e
node="$1"; shift
while [ "$1" != "--" ]; do mount --bind "$node/$1" "$2"; shift 2; done
shift
while [ "$1" != "--" ]; do [ -e "$2" ] || : >"$2"; mount --bind "$1" "$2"; shift 2; done
if [ -f "$node/disk-low" ]; then
  mount -t tmpfs -o size=64m tmpfs /var/tmp
  mount -t tmpfs -o size=64m tmpfs /var/lib/containers/storage
fi
shift
mount --rbind / /host
exec "$@"`;

/** `files`: [host file, path in the container] pairs, bound in the container only. */
export function runInNode(nodeDir: string, command: string[], onSpawn: (child: ChildProcess) => void, onOutput?: (chunk: Buffer) => void, files: [string, string][] = []): Promise<number> {
  return new Promise((resolve) => {
    const mountArgs = NODE_MOUNTS.flatMap(([from, to]) => [from, to]);
    const c = spawn(
      'unshare',
      // A node apart on the network (NodeSpec.network): a network namespace with only its loopback,
      // down (unshare(1) --net); the rig's own, no cluster behaviour is modelled.
      [...(existsSync(join(nodeDir, 'network-isolated')) ? ['--net'] : []), '--mount', '--propagation', 'private', '--', '/bin/sh', '-c', MOUNT_SCRIPT, 'sh', nodeDir, ...mountArgs, '--', ...files.flat(), '--', ...command],
      // A container's PATH, whatever the client's was.
      { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' } },
    );
    onSpawn(c);
    // Pod logs merge the container's stdout and stderr.
    if (onOutput) {
      c.stdout.on('data', (d) => onOutput(d));
      c.stderr.on('data', (d) => onOutput(d));
    } else {
      c.stdout.pipe(process.stdout, { end: false });
      c.stderr.pipe(process.stdout, { end: false });
    }
    c.on('close', (code) => resolve(code ?? 1));
  });
}
