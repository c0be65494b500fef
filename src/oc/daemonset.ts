// Every node at once: DaemonSets in the run's namespace put a privileged pod on each selected
// node (tolerating every taint, so control-plane and infra nodes too). The node script runs in
// the pod's init container and reports in its termination message, which the one pod watch
// delivers: no log is read unless a report is too long for it (then the probe's log), or the run
// times out (what the late probes have logged so far). A DaemonSet pod restarts what ends, so
// the pod's one container only stays.
// The DaemonSet controller, not the user, creates the pods, so OpenShift's SCC admission checks
// the pods' service account (`default` in the run's namespace): a RoleBinding in that namespace to
// ClusterRole system:openshift:scc:privileged lets it use the privileged SCC, and goes with the
// namespace (openshift/apiserver-library-go pkg/securitycontextconstraints/sccadmission). A pod the
// API refuses shows only as a FailedCreate event on its DaemonSet
// (kubernetes pkg/controller/daemon/daemon_controller.go), which is read when pods are missing.
import { clientError } from './client-talk.js';
import { deleteDaemonSetsArgs, runNamespaceName, runObjectsManifest, TOOLS_IMAGE_ARGS, watchPodsArgs } from './daemonset-objects.js';
import { type Clock, systemClock } from '../clock.js';
import { DaemonSetFollow } from './daemonset-follow.js';
import { fallbackDebugImage } from './kubectl-pod.js';
import { CREATE_FROM_STDIN, deleteNamespaceArgs, NamespaceLifecycle, newRunId } from './namespace.js';
import type { NodeRunner, PlannedCall, RunnerNotice } from './node-runner.js';
import type { OcRunner } from './runner.js';

export interface DaemonSetOptions {
  image: string | undefined;
  /** The run's time (tests step a fake one). */
  clock?: Clock;
}

export function daemonSetRunner(oc: OcRunner, options: DaemonSetOptions): NodeRunner {
  const namespace = new NamespaceLifecycle(oc);
  let image: Promise<ChosenImage> | undefined;
  const chooseImage = () => (image ??= podImage(oc, options));
  return {
    strategy: 'daemonset',
    plan(nodes, command) {
      const runId = '<run-id>';
      const ns = runNamespaceName(runId);
      return [
        { node: null, argv: oc.commandLine(CREATE_FROM_STDIN), stdin: runObjectsManifest(runId, nodes, options.image ?? '<the openshift/tools image>', command) },
        { node: null, argv: oc.commandLine(watchPodsArgs(ns, runId)) },
        { node: null, argv: oc.commandLine(deleteDaemonSetsArgs(ns, runId)) },
        { node: null, argv: oc.commandLine(deleteNamespaceArgs(ns)) },
      ] satisfies PlannedCall[];
    },
    pending: () => namespace.pending(),
    abandon: () => namespace.abandon(),
    prepare: () => void chooseImage(),
    async run(request) {
      if (request.nodes.length === 0 || request.signal.aborted) return { namespace: null, cleanedUp: true, notices: [] };
      const runId = await newRunId();
      request.onStatus?.('creating a namespace and the DaemonSets');
      const { image, notices } = await chooseImage();
      // Named before it exists: whatever happens from here, the finally removes it.
      const name = namespace.made(runNamespaceName(runId));
      let cleanedUp: boolean;
      try {
        const made = await oc.run(CREATE_FROM_STDIN, { input: runObjectsManifest(runId, request.nodes, image, request.command) });
        if (made.exitCode !== 0) throw clientError(oc, 'create the namespace, the DaemonSets and their SCC binding', made);
        await new DaemonSetFollow(oc, name, runId, request, options.clock ?? systemClock).run();
      } finally {
        request.onStatus?.(`deleting namespace ${name}`);
        // The DaemonSets go at once, so their pods stop while the namespace is being emptied.
        [, cleanedUp] = await Promise.all([oc.run(deleteDaemonSetsArgs(name, runId)), namespace.remove()]);
      }
      return { namespace: name, cleanedUp, notices };
    },
  };
}

/**
 * --image, else the cluster's tools image stream, else the support-tools image, as oc debug picks
 * them (openshift/oc pkg/cli/debug/debug.go); with either client, since the pods are ours.
 */
interface ChosenImage {
  image: string;
  notices: RunnerNotice[];
}

async function podImage(oc: OcRunner, options: DaemonSetOptions): Promise<ChosenImage> {
  if (options.image) return { image: options.image, notices: [] };
  const found = await oc.run(TOOLS_IMAGE_ARGS);
  const image = found.exitCode === 0 ? found.stdout.trim() : '';
  if (image) return { image, notices: [] };
  const fallback = await fallbackDebugImage(oc);
  return { image: fallback, notices: [{ code: 'no-tools-image-stream', image: fallback }] };
}
