// The sandbox's API server process: `node sandbox-api.mjs DIR` serves the cluster described in
// DIR (cluster/objects.json, credentials.json, settings.json), writes its port to DIR/api.port
// once it listens, and records object events and requests in DIR/ledger.jsonl.
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterState } from './cluster-state.js';
import { ApiServer } from './server.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: sandbox-api DIR\n');
  process.exit(2);
}
const ledger = join(dir, 'ledger.jsonl');
const server = new ApiServer({
  state: new ClusterState(dir),
  credentials: JSON.parse(readFileSync(join(dir, 'credentials.json'), 'utf8')),
  tls: { key: readFileSync(join(dir, 'api-tls.key'), 'utf8'), cert: readFileSync(join(dir, 'api-tls.crt'), 'utf8') },
  record: (event) => appendFileSync(ledger, `${JSON.stringify({ time: Date.now(), ...event })}\n`),
});
server.seed(JSON.parse(readFileSync(join(dir, 'cluster', 'objects.json'), 'utf8')));
const port = await server.listen(Number(process.argv[3] ?? 0));
// Written whole, then renamed: a reader polling for the file never sees it empty.
writeFileSync(join(dir, 'api.port.tmp'), String(port));
renameSync(join(dir, 'api.port.tmp'), join(dir, 'api.port'));
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}
