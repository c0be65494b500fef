// The sandbox's objects, kept as the API server keeps them in etcd: one resourceVersion counter
// for all, names made from generateName (k8s.io/apiserver pkg/storage/names/generate.go: five
// characters of k8s.io/apimachinery pkg/util/rand's alphabet), uid and creationTimestamp set on
// create, and a watch per listener (k8s.io/apiserver pkg/storage/cacher: ADDED, MODIFIED, DELETED).
import { randomBytes, randomUUID } from 'node:crypto';
import type { Resource } from './resources.js';
import { alreadyExists, type KubeObject, notFound } from './types.js';

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export const randomSuffix = () => Array.from(randomBytes(5), (b) => ALPHABET[b % ALPHABET.length]).join('');

export type WatchType = 'ADDED' | 'MODIFIED' | 'DELETED';
export type Listener = (type: WatchType, resource: Resource, object: KubeObject) => void;

const keyOf = (r: Resource) => `${r.group}/${r.name}`;
const idOf = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

export class Store {
  private readonly tables = new Map<string, Map<string, KubeObject>>();
  private readonly listeners = new Set<Listener>();
  private revision = 1;

  get resourceVersion(): string {
    return String(this.revision);
  }

  private table(r: Resource): Map<string, KubeObject> {
    let t = this.tables.get(keyOf(r));
    if (!t) this.tables.set(keyOf(r), (t = new Map()));
    return t;
  }

  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(type: WatchType, r: Resource, object: KubeObject): void {
    for (const l of [...this.listeners]) l(type, r, object);
  }

  create(r: Resource, object: KubeObject, taken: (name: string) => boolean = () => false): KubeObject {
    const t = this.table(r);
    const namespace = r.namespaced ? object.metadata.namespace : undefined;
    let name = object.metadata.name;
    if (!name) {
      // The API server retries a generated name that is taken (RetryGenerateName, on from 1.31).
      do name = `${object.metadata.generateName ?? ''}${randomSuffix()}`;
      while (t.has(idOf(namespace, name)));
      if (taken(name)) throw alreadyExists(r.name, r.group, name);
    }
    if (t.has(idOf(namespace, name))) throw alreadyExists(r.name, r.group, name);
    const stored: KubeObject = structuredClone({
      ...object,
      apiVersion: r.group ? `${r.group}/${r.version}` : r.version,
      kind: r.kind,
      metadata: { ...object.metadata, name, ...(namespace ? { namespace } : {}), uid: randomUUID(), resourceVersion: String(++this.revision), creationTimestamp: now() },
    });
    if (!r.namespaced) delete stored.metadata.namespace;
    t.set(idOf(namespace, name), stored);
    this.emit('ADDED', r, stored);
    return structuredClone(stored);
  }

  get(r: Resource, namespace: string | undefined, name: string): KubeObject {
    const found = this.table(r).get(idOf(r.namespaced ? namespace : undefined, name));
    if (!found) throw notFound(r.name, r.group, name);
    return structuredClone(found);
  }

  find(r: Resource, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.table(r).get(idOf(r.namespaced ? namespace : undefined, name));
    return found && structuredClone(found);
  }

  list(r: Resource, namespace?: string): KubeObject[] {
    return this.view(r, namespace).map((o) => structuredClone(o));
  }

  /**
   * The stored objects themselves, to read and never change: what a controller's informer cache
   * gives it (k8s.io/client-go tools/cache, listers hand out the cached objects, not copies).
   * Copying every pod for each of twenty DaemonSets five times a second starved the server at 500
   * nodes (TLS handshakes timed out).
   */
  view(r: Resource, namespace?: string): readonly Readonly<KubeObject>[] {
    const all = [...this.table(r).values()];
    return namespace ? all.filter((o) => o.metadata.namespace === namespace) : all;
  }

  /** Applies change to the stored object (a status update, a deletionTimestamp). */
  update(r: Resource, namespace: string | undefined, name: string, change: (o: KubeObject) => void): KubeObject {
    const t = this.table(r);
    const found = t.get(idOf(r.namespaced ? namespace : undefined, name));
    if (!found) throw notFound(r.name, r.group, name);
    change(found);
    found.metadata.resourceVersion = String(++this.revision);
    this.emit('MODIFIED', r, found);
    return structuredClone(found);
  }

  delete(r: Resource, namespace: string | undefined, name: string): KubeObject {
    const t = this.table(r);
    const id = idOf(r.namespaced ? namespace : undefined, name);
    const found = t.get(id);
    if (!found) throw notFound(r.name, r.group, name);
    t.delete(id);
    found.metadata.resourceVersion = String(++this.revision);
    this.emit('DELETED', r, found);
    return structuredClone(found);
  }
}

export const now = (laterMs = 0) => new Date(Date.now() + laterMs).toISOString().replace(/\.\d+Z$/, 'Z');
