// The sandbox's Kubernetes API server: the part of the Kubernetes and OpenShift REST API that
// kubectl and the plugin use, over HTTP on 127.0.0.1. Request handling follows
// k8s.io/apiserver pkg/endpoints/handlers (create.go, get.go, delete.go, watch.go): JSON in and
// out, errors as a Status with reason and code, lists with metadata.resourceVersion, watches as
// newline-separated watch events. Namespaced creates need a live namespace
// (kubernetes plugin/pkg/admission/namespace/lifecycle: NotFound, or Forbidden while it
// terminates).
import type http from 'node:http';
import https from 'node:https';
import { admitPod, pinnedNode, SCC_ANNOTATION_WAIT_MS, sccAnnotated, UID_RANGE_ANNOTATION } from './admission.js';
import { authenticate, authorize, type Credentials, type User } from './auth.js';
import type { ClusterState } from './cluster-state.js';
import { Controllers } from './controllers.js';
import { aggregatedContentType, aggregatedDiscovery, aggregatedVersion, apiGroupList, apiResourceList, apiVersions, openApiDocument, openApiRoot, openApiV2, versionInfo } from './discovery.js';
import { journalQuery, KubeletError, streamJournal } from './journal.js';
import { Kubelets } from './kubelet.js';
import { PodLogs } from './pod-logs.js';
import { groupVersion, KUBE_MINOR_OF_OPENSHIFT, type Resource, servedResources } from './resources.js';
import { fieldSelector, labelSelector } from './selectors.js';
import { withPodDefaults } from './pod-defaults.js';
import { deletionGraceSeconds, shortenedGraceSeconds } from './pod-deletion.js';
import { now, Store } from './store.js';
import { table } from './tables.js';
import { ApiError, badRequest, forbidden, type KubeObject, notFound, type PodSpec } from './types.js';

export interface ServerOptions {
  state: ClusterState;
  credentials: Credentials;
  /** Each object event and request, for the tests' ledger. */
  record: (event: Record<string, unknown>) => void;
  /** The serving certificate: kubectl sends a bearer token over TLS only (client-go transport). */
  tls: { key: string; cert: string };
}

export class ApiServer {
  readonly store = new Store();
  readonly resources: Resource[];
  readonly kubeMinor: number;
  private readonly logs = new PodLogs();
  private readonly kubelets: Kubelets;
  private readonly controllers: Controllers;
  private readonly http: https.Server;
  private address = '';

  constructor(private readonly options: ServerOptions) {
    this.resources = servedResources(options.state.settings.openshift, options.state.settings.featureSet);
    this.kubeMinor = KUBE_MINOR_OF_OPENSHIFT[options.state.settings.openshift]!;
    this.kubelets = new Kubelets(this.store, this.resource('', 'pods'), this.logs, options.state);
    this.controllers = new Controllers(this.store, this.resources, options.state, (r, ns, name) => this.remove(r, ns, name));
    this.http = https.createServer(options.tls, (req, res) => void this.handle(req, res));
    this.http.keepAliveTimeout = 60_000;
  }

  resource(group: string, name: string): Resource {
    return this.resources.find((r) => r.group === group && r.name === name)!;
  }

  listen(port = 0): Promise<number> {
    return new Promise((resolve) =>
      this.http.listen(port, '127.0.0.1', () => {
        const p = (this.http.address() as { port: number }).port;
        this.address = `127.0.0.1:${p}`;
        resolve(p);
      }),
    );
  }

  close(): void {
    this.controllers.stop();
    this.kubelets.stopAll();
    this.http.closeAllConnections();
    this.http.close();
  }

  /**
   * Objects the sandbox starts with (nodes, policies, pools ...), as an administrator made them
   * (a creationTimestamp given is kept: a namespace an earlier run left an hour ago). Then the
   * ledger starts: it holds what happens after.
   */
  seed(objects: KubeObject[]): void {
    for (const o of objects) {
      const [group, version] = (o.apiVersion ?? 'v1').includes('/') ? o.apiVersion!.split('/') : ['', o.apiVersion ?? 'v1'];
      const r = this.resources.find((x) => x.group === group && x.kind === o.kind && (x.version === version || x.group !== ''));
      if (!r) continue;
      // Namespaces made long ago have had their SCC ranges since (controllers.ts allocateSccRanges).
      if (o.kind === 'Namespace') o.metadata.annotations = { [UID_RANGE_ANNOTATION]: '1000600000/10000', 'openshift.io/sa.scc.supplemental-groups': '1000600000/10000', 'openshift.io/sa.scc.mcs': 's0:c25,c10', ...o.metadata.annotations };
      const made = this.store.create(r, o);
      const at = o.metadata.creationTimestamp;
      if (at) this.store.update(r, made.metadata.namespace, made.metadata.name!, (x) => (x.metadata.creationTimestamp = at));
    }
    this.store.listen((type, r, o) => this.ledger(type, r, o));
  }

  private ledger(type: string, r: Resource, o: KubeObject): void {
    const m = o.metadata;
    const record = this.options.record;
    if (r.name === 'namespaces' && type === 'ADDED') record({ event: 'namespace-created', namespace: m.name, labels: m.labels, annotations: m.annotations, creationTimestamp: m.creationTimestamp });
    if (r.name === 'namespaces' && type === 'DELETED') record({ event: 'namespace-deleted', namespace: m.name });
    if (r.name === 'daemonsets' && type === 'ADDED') record({ event: 'daemonset-created', daemonset: m.name, namespace: m.namespace, tolerations: (o.spec as { template?: { spec?: { tolerations?: unknown } } }).template?.spec?.tolerations });
    if (r.name === 'daemonsets' && type === 'DELETED') record({ event: 'daemonset-deleted', daemonset: m.name, namespace: m.namespace });
    if (r.name === 'rolebindings' && type === 'ADDED') record({ event: 'rolebinding-created', rolebinding: m.name, namespace: m.namespace, roleRef: o.roleRef, subjects: o.subjects });
    if (r.name === 'clusterrolebindings' && type === 'ADDED') record({ event: 'clusterrolebinding-created', clusterrolebinding: m.name, roleRef: o.roleRef });
    if (r.name === 'pods' && type === 'ADDED') {
      // The container that does the work: a DaemonSet probe's is its init container.
      const c = o.spec?.initContainers?.[0] ?? o.spec?.containers?.[0];
      record({
        event: 'pod-created', pod: m.name, namespace: m.namespace, node: o.spec?.nodeName ?? pinnedNode(o) ?? null, image: c?.image ?? null,
        daemonset: m.ownerReferences?.[0]?.name ?? null, privileged: c?.securityContext?.privileged === true,
        annotations: m.annotations, priorityClassName: o.spec?.priorityClassName ?? null, resources: (c as { resources?: unknown } | undefined)?.resources ?? null,
      });
    }
    if (r.name === 'pods' && type === 'DELETED') record({ event: 'pod-deleted', pod: m.name, namespace: m.namespace });
  }

  /**
   * DELETE as the API does it: a pod goes gracefully for its grace period (pod-deletion.ts): it
   * keeps a deletionTimestamp and deletionGracePeriodSeconds until its kubelet has stopped it; at
   * 0 it goes at once, and its kubelet still stops it. Namespaces go through their controller;
   * the rest at once.
   */
  private remove(r: Resource, namespace: string | undefined, name: string, requestedGrace?: number): KubeObject {
    const current = this.store.get(r, namespace, name);
    if (current.metadata.deletionTimestamp) return r.name === 'pods' ? this.redeletePod(r, current, requestedGrace) : current;
    if (r.name === 'namespaces') {
      return this.store.update(r, namespace, name, (o) => {
        o.metadata.deletionTimestamp = now();
        o.status = { ...o.status, phase: 'Terminating' };
      });
    }
    if (r.name !== 'pods') return this.store.delete(r, namespace, name);
    const grace = deletionGraceSeconds(current, requestedGrace);
    const marked = this.store.update(r, namespace, name, (o) => {
      o.metadata.deletionTimestamp ??= now(grace * 1000);
      o.metadata.deletionGracePeriodSeconds = grace;
    });
    return grace > 0 ? marked : this.store.delete(r, namespace, name);
  }

  /** A pod deleted again: a shorter grace period is taken (its kubelet shortens its wait), a longer one is not. */
  private redeletePod(r: Resource, current: KubeObject, requestedGrace: number | undefined): KubeObject {
    const grace = shortenedGraceSeconds(current, requestedGrace);
    if (grace === null) return current;
    const { namespace, name } = current.metadata;
    const marked = this.store.update(r, namespace, name!, (o) => {
      o.metadata.deletionTimestamp = now(grace * 1000);
      o.metadata.deletionGracePeriodSeconds = grace;
    });
    return grace > 0 ? marked : this.store.delete(r, namespace, name!);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const send = (code: number, body: unknown): void => {
      if (res.headersSent) {
        res.end();
        return;
      }
      const text = JSON.stringify(body);
      res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
    };
    let user: User | undefined;
    try {
      if (url.pathname === '/version') return send(200, versionInfo(this.kubeMinor));
      user = authenticate(req.headers.authorization, this.options.credentials, this.options.state.flag('logged-out'));
      this.options.record({ event: 'request', method: req.method, path: url.pathname, query: url.search, user: user.name, credential: user.credential, agent: req.headers['user-agent'] ?? '' });
      await this.route(req, res, url, user, send);
    } catch (error) {
      if (error instanceof ApiError) return send(error.code, error.toStatus());
      send(500, new ApiError(500, 'BadRequest', String((error as Error)?.stack ?? error)).toStatus());
    }
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse, url: URL, user: User, send: (code: number, body: unknown) => void): Promise<void> {
    const path = url.pathname.replace(/\/$/, '');
    const aggregated = path === '/api' || path === '/apis' ? aggregatedVersion(req.headers.accept, this.kubeMinor) : null;
    if (aggregated) {
      const text = JSON.stringify(aggregatedDiscovery(this.resources, aggregated, path === '/api'));
      res.writeHead(200, { 'content-type': aggregatedContentType(aggregated), 'content-length': Buffer.byteLength(text) }).end(text);
      return;
    }
    if (path === '/api') return send(200, apiVersions(this.address));
    if (path === '/apis') return send(200, apiGroupList(this.resources));
    if (path === '/openapi/v3') return send(200, openApiRoot(this.resources));
    if (path === '/openapi/v2') {
      // client-go asks for the protobuf form (k8s.io/client-go discovery OpenAPISchema); the
      // sandbox's document has paths and no definitions, which encodes as swagger "2.0" only.
      if (/protobuf/.test(req.headers.accept ?? '')) {
        const proto = Buffer.from([0x0a, 0x03, ...Buffer.from('2.0')]);
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': proto.length }).end(proto);
        return;
      }
      return send(200, openApiV2(this.resources, this.kubeMinor));
    }
    if (path.startsWith('/openapi/v3/')) {
      const doc = openApiDocument(this.resources, path.slice('/openapi/v3/'.length), this.kubeMinor);
      return doc ? send(200, doc) : send(404, notFound('openapi', '', path).toStatus());
    }
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/(.*))?$/.exec(path);
    if (!m) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    const group = m[2] ?? '';
    const version = m[1] ?? m[3]!;
    const gv = group ? `${group}/${version}` : version;
    const rest = m[4] ? m[4].split('/').map(decodeURIComponent) : [];
    if (rest.length === 0) {
      const list = apiResourceList(this.resources, gv);
      if (!list) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      return send(200, list);
    }
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3 && group === '') {
      namespace = rest[1];
      rest.splice(0, 2);
    } else if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest.splice(0, 2);
    }
    const [resourceName, name, subresource, ...tail] = rest;
    const r = this.resources.find((x) => groupVersion(x) === gv && x.name === resourceName);
    if (!r) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    if (namespace && !r.namespaced) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    const method = req.method ?? 'GET';
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    const verb = method === 'POST' ? 'create' : method === 'DELETE' ? 'delete' : method === 'PUT' ? 'update' : method === 'PATCH' ? 'patch' : watch ? 'watch' : name ? 'get' : 'list';
    authorize(user, { verb, group, resource: r.name, subresource, namespace, name });

    if (subresource === 'log' && r.name === 'pods' && method === 'GET') return this.podLog(res, url, r, namespace!, name!);
    if (subresource === 'proxy' && r.name === 'nodes' && tail[0] === 'logs' && tail[1] === 'journal') return this.journal(res, url, r, name!);
    if (subresource) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');

    if (method === 'POST') return send(201, await this.create(r, namespace, await body(req), user));
    if (method === 'GET' && name) return send(200, this.get(r, namespace, name, user, req.headers.accept));
    if (method === 'GET' && watch) return this.watch(res, url, r, namespace);
    if (method === 'GET') return send(200, this.list(r, namespace, url, req.headers.accept));
    if (method === 'DELETE' && name) {
      // Fault: an API server slow to answer deletions of a `slow-stop` node's pods (a loaded etcd).
      const node = r.name === 'pods' ? this.store.find(r, namespace, name)?.spec?.nodeName : undefined;
      if (node && this.options.state.behaviour(node) === 'slow-stop') await new Promise((done) => setTimeout(done, 3000));
      return send(200, this.remove(r, namespace, name, await requestedGrace(req, url)));
    }
    throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
  }

  private get(r: Resource, namespace: string | undefined, name: string, user: User, accept: string | undefined): unknown {
    if (r.group === 'user.openshift.io' && r.name === 'users' && name === '~') {
      // openshift/openshift-apiserver pkg/user/apiserver/registry/user/etcd: `~` is the caller.
      return { kind: 'User', apiVersion: 'user.openshift.io/v1', metadata: { name: user.name, creationTimestamp: null }, groups: user.groups.filter((g) => g !== 'system:authenticated'), identities: null };
    }
    const o = this.store.get(r, namespace, name);
    return wantsTable(accept) ? table(r, [o], o.metadata.resourceVersion ?? '') : o;
  }

  private list(r: Resource, namespace: string | undefined, url: URL, accept: string | undefined): unknown {
    const byLabel = labelSelector(url.searchParams.get('labelSelector'));
    const byField = fieldSelector(url.searchParams.get('fieldSelector'), r.fields ?? []);
    const items = this.store.view(r, namespace).filter((o) => byLabel((k) => o.metadata.labels?.[k]) && byField(o as KubeObject)).map((o) => structuredClone(o) as KubeObject);
    const rv = this.store.resourceVersion;
    if (r.name === 'nodes') this.deleteNodesAfterList();
    if (wantsTable(accept)) return table(r, items, rv);
    return { kind: `${r.kind}List`, apiVersion: groupVersion(r), metadata: { resourceVersion: rv }, items };
  }

  /** Fault: a node deleted just after it was listed (the test names it in delete-node-after-list). */
  private deleteNodesAfterList(): void {
    const name = this.options.state.takeNamed('delete-node-after-list');
    if (!name) return;
    setTimeout(() => {
      try {
        this.store.delete(this.resource('', 'nodes'), undefined, name);
      } catch {
        // gone
      }
    }, 0);
  }

  private async create(r: Resource, namespace: string | undefined, object: KubeObject, user: User): Promise<unknown> {
    if (r.name === 'selfsubjectreviews') {
      // kubernetes pkg/registry/authentication/selfsubjectreview/rest.go: the caller, as authenticated.
      return { kind: 'SelfSubjectReview', apiVersion: groupVersion(r), metadata: { creationTimestamp: now() }, status: { userInfo: { username: user.name, groups: user.groups } } };
    }
    if (!object || typeof object !== 'object' || !object.metadata) throw badRequest('the body of the request was in an unknown format - accepted media types include: application/json, application/yaml');
    if (object.kind && object.kind !== r.kind) throw badRequest(`the API version in the data (${object.apiVersion}) does not match the expected API version (${groupVersion(r)})`);
    if (r.namespaced) {
      const ns = object.metadata.namespace ?? namespace;
      if (namespace && object.metadata.namespace && object.metadata.namespace !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      object.metadata.namespace = ns;
      const live = this.store.find(this.resource('', 'namespaces'), undefined, ns!);
      if (!live) throw notFound('namespaces', '', ns!);
      if (live.metadata.deletionTimestamp) throw forbidden(r.name, r.group, object.metadata.name ?? object.metadata.generateName ?? '', `unable to create new content in namespace ${ns} because it is being terminated`);
    }
    if (!object.metadata.name && !object.metadata.generateName) throw new ApiError(422, 'Invalid', `${r.kind} "" is invalid: metadata.name: Required value: name or generateName is required`);
    if (r.name === 'pods') {
      object.spec = withPodDefaults(object.spec as PodSpec) as KubeObject['spec'];
      // SCC admission waits up to 10 s for the namespace's ranges (admission.ts).
      for (const until = Date.now() + SCC_ANNOTATION_WAIT_MS; !sccAnnotated(this.store, this.resources, object.metadata.namespace!) && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
      admitPod(this.store, this.resources, this.options.state, object, { user: user.name, groups: user.groups, controller: false }, this.kubeMinor);
    }
    if (r.name === 'namespaces') object.status = { phase: 'Active' };
    // Fault: the next generated namespace name is taken (before RetryGenerateName, the API said so).
    const collide = r.name === 'namespaces' && !object.metadata.name && this.options.state.takeCounted('namespace-collisions');
    return this.store.create(r, object, () => collide);
  }

  private podLog(res: http.ServerResponse, url: URL, r: Resource, namespace: string, name: string): void {
    const pod = this.store.get(r, namespace, name);
    const container = PodLogs.check(pod, url.searchParams.get('container'));
    const follow = url.searchParams.get('follow') === 'true';
    res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
    const tail = url.searchParams.get('tailLines');
    const stop = this.logs.read(pod.metadata.uid!, container, follow, tail === null ? null : Number(tail), (chunk) => res.write(chunk), () => res.end());
    res.on('close', stop);
  }

  private journal(res: http.ServerResponse, url: URL, r: Resource, node: string): void {
    this.store.get(r, undefined, node);
    const state = this.options.state;
    let query;
    try {
      query = journalQuery(url.searchParams, state.settings.journalDeadlineMs, this.kubeMinor);
    } catch (error) {
      if (!(error instanceof KubeletError)) throw error;
      // Go's http.Error, through the API server's node proxy as it is.
      res.writeHead(error.code, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
      return void res.end(`${error.message}\n`);
    }
    res.writeHead(200, { 'content-type': 'text/plain;charset=UTF-8', 'transfer-encoding': 'chunked' });
    const journal = { linesPerSecond: state.settings.journalLinesPerSecond, fieldCheckMs: state.settings.journalFieldCheckMs, fieldCheckFails: state.journalCheckFails(node) };
    const stop = streamJournal(state.nodeDir(node), query, journal, (chunk) => res.write(chunk), () => res.end());
    res.on('close', stop);
  }

  private watch(res: http.ServerResponse, url: URL, r: Resource, namespace: string | undefined): void {
    const byLabel = labelSelector(url.searchParams.get('labelSelector'));
    const byField = fieldSelector(url.searchParams.get('fieldSelector'), r.fields ?? []);
    const matches = (o: KubeObject) => (!namespace || o.metadata.namespace === namespace) && byLabel((k) => o.metadata.labels?.[k]) && byField(o);
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    const send = (type: string, object: KubeObject) => res.write(`${JSON.stringify({ type, object })}\n`);
    const from = url.searchParams.get('resourceVersion');
    if (!from || from === '0') for (const o of this.store.view(r, namespace)) if (matches(o as KubeObject)) send('ADDED', o as KubeObject);
    const stop = this.store.listen((type, changed, o) => {
      if (changed === r && matches(o)) send(type, o);
    });
    const seconds = Number(url.searchParams.get('timeoutSeconds') ?? 1800);
    const timer = setTimeout(() => res.end(), seconds * 1000);
    res.on('close', () => {
      stop();
      clearTimeout(timer);
    });
  }
}

const wantsTable = (accept: string | undefined) => Boolean(accept && /as=Table/.test(accept.split(',')[0] ?? ''));

/**
 * The grace period a DELETE asks for: DeleteOptions in the body (kubectl sends them there, with
 * --grace-period=0 already made 1 unless --force: kubectl pkg/cmd/delete/delete.go) or the
 * gracePeriodSeconds query parameter.
 */
async function requestedGrace(req: http.IncomingMessage, url: URL): Promise<number | undefined> {
  const query = url.searchParams.get('gracePeriodSeconds');
  if (query !== null) return Number(query);
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return undefined;
  const options = JSON.parse(text) as { gracePeriodSeconds?: number };
  return options.gracePeriodSeconds ?? undefined;
}

async function body(req: http.IncomingMessage): Promise<KubeObject> {
  // A real API server reads protobuf too (kubectl 1.32 sends it for built-in kinds); the sandbox
  // reads JSON only and says so, rather than answer a body it cannot read with a wrong error.
  // Its clients are the machine's kubectl dispatcher, which runs the kubectl of the server's
  // minor (1.31 for OpenShift 4.18), and that sends JSON.
  if (/protobuf/.test(req.headers['content-type'] ?? '')) {
    throw new ApiError(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml');
  }
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  }
}
