// Server-side printing: the Table kubectl asks for (Accept: application/json;as=Table;g=meta.k8s.io;v=v1)
// and prints as it is. Columns follow kubernetes pkg/printers/internalversion/printers.go
// (nodes, pods, namespaces, daemonsets, events) and, for every other kind, the default
// convertor's Name and Created At (k8s.io/apiserver pkg/registry/rest/table.go).
import type { Resource } from './resources.js';
import type { KubeObject } from './types.js';

type Column = { name: string; type: string; format?: string; priority?: number; cell: (o: KubeObject) => string | number };

function age(o: KubeObject): string {
  const s = Math.max(0, Math.floor((Date.now() - Date.parse(o.metadata.creationTimestamp ?? '')) / 1000));
  if (!Number.isFinite(s)) return '<unknown>';
  if (s < 120) return `${s}s`;
  if (s < 3600 * 2) return `${Math.floor(s / 60)}m`;
  if (s < 86400 * 2) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

const name: Column = { name: 'Name', type: 'string', format: 'name', cell: (o) => o.metadata.name ?? '' };
const ageColumn: Column = { name: 'Age', type: 'string', cell: age };

type ContainerStatus = { ready?: boolean; restartCount?: number; state?: { waiting?: { reason?: string }; terminated?: { reason?: string; exitCode?: number } } };
type PodStatus = { phase?: string; containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] };

const COLUMNS: Record<string, Column[]> = {
  Node: [
    name,
    { name: 'Status', type: 'string', cell: (o) => ((o.status?.conditions as { type: string; status: string }[] | undefined)?.find((c) => c.type === 'Ready')?.status === 'True' ? 'Ready' : 'NotReady') },
    { name: 'Roles', type: 'string', cell: (o) => Object.keys(o.metadata.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.split('/')[1]).join(',') || '<none>' },
    ageColumn,
    { name: 'Version', type: 'string', cell: () => 'v1.31.14' },
  ],
  Pod: [
    name,
    { name: 'Ready', type: 'string', cell: (o) => { const cs = (o.status as PodStatus | undefined)?.containerStatuses ?? []; return `${cs.filter((c) => c.ready).length}/${o.spec?.containers?.length ?? 0}`; } },
    { name: 'Status', type: 'string', cell: podStatusCell },
    { name: 'Restarts', type: 'integer', cell: (o) => (o.status as PodStatus | undefined)?.containerStatuses?.[0]?.restartCount ?? 0 },
    ageColumn,
    { name: 'Node', type: 'string', priority: 1, cell: (o) => o.spec?.nodeName ?? '<none>' },
  ],
  Namespace: [name, { name: 'Status', type: 'string', cell: (o) => String(o.status?.phase ?? 'Active') }, ageColumn],
  DaemonSet: [name, { name: 'Desired', type: 'integer', cell: (o) => Number(o.status?.desiredNumberScheduled ?? 0) }, ageColumn],
  Event: [
    { name: 'Last Seen', type: 'string', cell: (o) => age({ metadata: { creationTimestamp: String(o.lastTimestamp ?? o.metadata.creationTimestamp) } }) },
    { name: 'Type', type: 'string', cell: (o) => String(o.type ?? '') },
    { name: 'Reason', type: 'string', cell: (o) => String(o.reason ?? '') },
    { name: 'Object', type: 'string', cell: (o) => { const i = o.involvedObject as { kind?: string; name?: string }; return `${(i.kind ?? '').toLowerCase()}/${i.name}`; } },
    { name: 'Message', type: 'string', cell: (o) => String(o.message ?? '') },
  ],
};

export function table(resource: Resource, objects: KubeObject[], resourceVersion: string) {
  const columns = COLUMNS[resource.kind] ?? [name, { name: 'Created At', type: 'date', cell: (o: KubeObject) => o.metadata.creationTimestamp ?? '' }];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: '', priority: c.priority ?? 0 })),
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.cell(o)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}

/**
 * The Status column as kubectl's printer makes it (kubernetes pkg/printers/internalversion/
 * printers.go printPod): an init container not done shows as Init:N/M, or Init: and its reason.
 */
function podStatusCell(o: KubeObject): string {
  const s = o.status as PodStatus | undefined;
  if (o.metadata.deletionTimestamp) return 'Terminating';
  const inits = s?.initContainerStatuses ?? [];
  for (const [i, init] of inits.entries()) {
    const t = init.state?.terminated;
    if (t && t.exitCode === 0) continue;
    if (t) return `Init:${t.reason ?? `ExitCode:${t.exitCode}`}`;
    const reason = init.state?.waiting?.reason;
    return reason && reason !== 'PodInitializing' ? `Init:${reason}` : `Init:${i}/${o.spec?.initContainers?.length ?? inits.length}`;
  }
  const c = s?.containerStatuses?.[0]?.state;
  return c?.waiting?.reason ?? c?.terminated?.reason ?? s?.phase ?? 'Pending';
}
