// Small network services of the sandbox, each its own detached process (the sandbox is also
// driven from scripts that block their event loop):
//   proxy PORT LEDGER          an HTTP proxy, like a cluster's: CONNECT and absolute-URI
//                              requests, for *.sandbox.invalid hosts only (it maps them to
//                              127.0.0.1, which the nodes cannot resolve); each request logged
//   quay-front PORT UPSTREAM   a registry front that answers 401 where the registry behind it
//                              answers 404 NAME_UNKNOWN, as Quay does for a repository that does
//                              not exist in an organisation that does (oc-mirror#273)
import { appendFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';

const [, , kind, portText, arg = ''] = process.argv;
const port = Number(portText);

const sandboxHost = (host: string) => host.endsWith('.sandbox.invalid');

if (kind === 'proxy') {
  const log = (event: Record<string, unknown>) => appendFileSync(arg, `${JSON.stringify({ time: Date.now(), ...event })}\n`);
  const server = http.createServer((req, res) => {
    let url;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    log({ method: req.method, host: url.host });
    if (!sandboxHost(url.hostname)) {
      res.writeHead(403).end('the sandbox proxy reaches *.sandbox.invalid only\n');
      return;
    }
    const upstream = http.request(
      { host: '127.0.0.1', port: url.port || 80, method: req.method, path: url.pathname + url.search, headers: { ...req.headers, host: url.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    const [host = '', targetPort] = (req.url ?? '').split(':');
    log({ method: 'CONNECT', host: req.url });
    if (!sandboxHost(host)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = net.connect(Number(targetPort), '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  server.listen(port, '127.0.0.1');
} else if (kind === 'quay-front') {
  const [upHost, upPort] = arg.split(':');
  interface Answer {
    status: number;
    headers: http.IncomingHttpHeaders;
    body: Buffer;
  }
  const forward = (method: string, path: string, headers: http.OutgoingHttpHeaders, body?: Buffer) =>
    new Promise<Answer>((resolve, reject) => {
      const up = http.request({ host: upHost, port: Number(upPort), method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      up.on('error', reject);
      up.end(body);
    });
  http
    .createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      try {
        const up = await forward(req.method ?? 'GET', req.url ?? '/', req.headers, Buffer.concat(chunks));
        const manifest = /^\/v2\/(.+)\/manifests\/[^/]+$/.exec(req.url ?? '');
        if (up.status === 404 && manifest) {
          // Quay's answer for a repository that does not exist: 401, not 404.
          const tags = await forward('GET', `/v2/${manifest[1]}/tags/list`, { authorization: req.headers.authorization ?? '' });
          if (tags.status === 404) {
            const denied = JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'access to the requested resource is not authorized', detail: [] }] });
            res.writeHead(401, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(denied) }).end(req.method === 'HEAD' ? undefined : denied);
            return;
          }
        }
        res.writeHead(up.status, up.headers).end(up.body);
      } catch {
        res.writeHead(502).end();
      }
    })
    .listen(port, '127.0.0.1');
} else {
  process.stderr.write(`services.mjs: unknown service ${kind}\n`);
  process.exit(2);
}
