// --report FILE (verify, audit) and `report DOC.json`: the page drawn from the run's document.
// The file is checked before the run starts (a path that cannot be written ends the run before any
// node), and written whole at the end: to a temporary file beside it, then renamed, so that a run
// killed while writing leaves no half page.
import { lstatSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Clock } from '../clock.js';
import { UserError } from '../errors.js';
import { clusterIdentity } from '../oc/cluster.js';
import type { OcRunner } from '../oc/runner.js';
import type { RunFacts } from '../report/document.js';
import { VERSION } from './commands/version.js';
import type { Io } from './io.js';

/** --report's path, checked: a file we can create in a directory that exists. */
export function reportPath(path: string | undefined, command: string): string | undefined {
  if (path === undefined) return undefined;
  if (path === '' || path === '-') throw new UserError(`--report names a file to write the page to; stdout keeps the ${command} output (to draw a saved -o json document on stdout: oc icsp report DOC.json)`);
  const dir = dirname(path);
  let isDirectory = false;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    // Said below.
  }
  if (!isDirectory) throw new UserError(`--report ${path}: ${dir} is not a directory: create it first, or name a file in an existing directory`);
  try {
    if (lstatSync(path).isDirectory()) throw new UserError(`--report ${path}: is a directory: name a file, such as ${join(path, 'report.html')}`);
  } catch (error) {
    if (error instanceof UserError) throw error;
  }
  return path;
}

/** --report: the page of the run's document, written; said on stderr where a table is the output. */
export async function savePage(path: string, document: object, io: Io, table: boolean): Promise<void> {
  writePageFile(path, await pageOf(document, '--report'));
  if (table) io.err(`the page: ${path}\n`);
}

/** The page written whole, or not at all. */
function writePageFile(path: string, page: string): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, page, { mode: 0o644 });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new UserError(`--report ${path}: ${(error as Error).message}: the output above is complete; to draw a page later, save it with -o json and run report on it`, { cause: error });
  }
}

/** The run's facts: started before the run, the cluster read beside it (from the kubeconfig alone). */
export function runFactsReader(runner: OcRunner, client: string, clock: Clock): () => Promise<RunFacts> {
  const startedAt = new Date(clock.now()).toISOString();
  const identity = clusterIdentity(runner).catch(() => ({ context: null, server: null }));
  return async () => ({ client, ...(await identity), plugin: VERSION, startedAt, finishedAt: new Date(clock.now()).toISOString() });
}

/** The page for a document object (its kind and version checked as `report` checks a file's). */
export async function pageOf(document: object, source: string): Promise<string> {
  const [{ pageDocument }, { renderPage }] = await Promise.all([import('../page/documents.js'), import('../page/page.js')]);
  const doc = pageDocument(document, source);
  try {
    return renderPage(doc, VERSION);
  } catch (error) {
    // Past the checks of its kind and fields, only a document edited by hand fails to draw.
    if (error instanceof TypeError) throw new UserError(`${source}: a ${doc.kind} document with fields not as -o json writes them (${error.message}): save it again with -o json`, { cause: error });
    throw error;
  }
}
