// The thin oc's way to the API server: the kubeconfig that kubectl reads (KUBECONFIG,
// --kubeconfig, --context; k8s.io/client-go tools/clientcmd loader.go precedence), a bearer
// token over TLS, and API errors printed as kubectl prints them
// (k8s.io/kubectl pkg/cmd/util/helpers.go StandardErrorMessage: `Error from server (Reason): message`).
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface Connection {
  server: URL;
  ca: string | undefined;
  token: string | undefined;
}

interface Kubeconfig {
  'current-context'?: string;
  contexts?: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
  clusters?: { name: string; cluster: { server: string; 'certificate-authority-data'?: string } }[];
  users?: { name: string; user: { token?: string } }[];
}

/** The kubeconfig a client reads: --kubeconfig, else KUBECONFIG's first, else ~/.kube/config. */
export const kubeconfigPath = (kubeconfig: string | undefined): string => kubeconfig ?? process.env.KUBECONFIG?.split(':')[0] ?? join(homedir(), '.kube', 'config');

export function connect(kubeconfig: string | undefined, context: string | undefined): Connection {
  const path = kubeconfigPath(kubeconfig);
  let config: Kubeconfig;
  try {
    config = parse(readFileSync(path, 'utf8')) as Kubeconfig;
  } catch {
    throw new ClientError(`error: stat ${path}: no such file or directory`);
  }
  const name = context ?? config['current-context'];
  const ctx = config.contexts?.find((c) => c.name === name);
  if (!ctx) throw new ClientError(`error: context "${name}" does not exist`);
  const cluster = config.clusters?.find((c) => c.name === ctx.context.cluster);
  const user = config.users?.find((u) => u.name === ctx.context.user);
  if (!cluster) throw new ClientError(`error: cluster "${ctx.context.cluster}" does not exist`);
  const caData = cluster.cluster['certificate-authority-data'];
  return { server: new URL(cluster.cluster.server), ca: caData ? Buffer.from(caData, 'base64').toString('utf8') : undefined, token: user?.user.token };
}

/** A failure already in the words oc prints; main writes it and exits 1. */
export class ClientError extends Error {}

export interface Answer {
  status: number;
  body: string;
}

function open(c: Connection, method: string, path: string, body: unknown, onResponse: (res: import('node:http').IncomingMessage) => void): import('node:http').ClientRequest {
  // A body goes with its length, as client-go sends it (a chunked DELETE is refused with a bare 400).
  const text = body === undefined ? undefined : JSON.stringify(body);
  const req = https.request(
    {
      host: c.server.hostname,
      port: c.server.port,
      method,
      path,
      ca: c.ca,
      headers: {
        accept: 'application/json',
        'user-agent': 'oc/4.18.0 (linux/amd64) sandbox',
        ...(c.token ? { authorization: `Bearer ${c.token}` } : {}),
        ...(text === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }),
      },
    },
    onResponse,
  );
  req.on('error', (e) => {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(1);
  });
  req.end(text);
  return req;
}

export function call(c: Connection, method: string, path: string, body?: unknown): Promise<Answer> {
  return new Promise((resolve) => {
    open(c, method, path, body, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
  });
}

/** The JSON of a 2xx answer, or the error as kubectl words it. */
export async function json<T>(c: Connection, method: string, path: string, body?: unknown): Promise<T> {
  const answer = await call(c, method, path, body);
  if (answer.status >= 200 && answer.status < 300) return JSON.parse(answer.body) as T;
  throw new ClientError(errorText(answer));
}

export function errorText(answer: Answer): string {
  let status: { reason?: string; message?: string } = {};
  try {
    status = JSON.parse(answer.body);
  } catch {
    // not a Status
  }
  if (answer.status === 401) return 'error: You must be logged in to the server (Unauthorized)';
  return `Error from server (${status.reason ?? 'InternalError'}): ${status.message ?? answer.body}`;
}

/** A streamed GET (logs, a watch): each chunk as it comes; resolves at the end. */
export function stream(c: Connection, path: string, onChunk: (chunk: string) => void): { done: Promise<Answer | null>; abort: () => void } {
  let req: import('node:http').ClientRequest | undefined;
  const done = new Promise<Answer | null>((resolve) => {
    req = open(c, 'GET', path, undefined, (res) => {
      if ((res.statusCode ?? 0) >= 300) {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        return;
      }
      res.setEncoding('utf8');
      res.on('data', onChunk);
      res.on('end', () => resolve(null));
      res.on('close', () => resolve(null));
    });
  });
  return { done, abort: () => req?.destroy() };
}
