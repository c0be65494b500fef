// runtime-utils pkg/registries topo.go topoGraph.Sorted: Kahn's algorithm with a FIFO queue,
// ties broken by string order, and cycles broken by the first unused node in string order.

export function topoSorted(nodes: string[], edges: [string, string][]): string[] {
  const all = [...new Set(nodes)].sort();
  const incoming = new Map(all.map((n) => [n, 0]));
  const outgoing = new Map<string, Set<string>>(all.map((n) => [n, new Set()]));
  for (const [from, to] of edges) {
    if (outgoing.get(from)!.has(to)) continue;
    outgoing.get(from)!.add(to);
    incoming.set(to, incoming.get(to)! + 1);
  }
  const used = new Set<string>();
  const result: string[] = [];
  const queue = all.filter((n) => incoming.get(n) === 0);
  const emit = (node: string) => {
    used.add(node);
    result.push(node);
    const freed: string[] = [];
    for (const next of outgoing.get(node)!) {
      if (used.has(next)) continue;
      const left = incoming.get(next)! - 1;
      incoming.set(next, left);
      if (left === 0) freed.push(next);
    }
    queue.push(...freed.sort());
  };
  while (result.length < all.length) {
    const next = queue.shift();
    if (next !== undefined) {
      if (!used.has(next)) emit(next);
      continue;
    }
    // A cycle: the policies disagree on order, which openshift/api leaves unspecified.
    emit(all.find((n) => !used.has(n))!);
  }
  return result;
}
