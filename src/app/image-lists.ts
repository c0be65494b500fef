// --images-from: the images a file names, in one of three forms, told apart by their lines:
// - a list: one reference a line, `#` comments (whole-line or trailing), blank lines;
// - oc-mirror v2's `working-dir/dry-run/mapping.txt`: `SOURCE=DESTINATION` a line, each side
//   usually with a `docker://` prefix (oc-mirror internal/pkg/cli/dryrun.go): the sources are
//   the images nodes pull (a disk-to-mirror run's sources are oc-mirror's own local cache,
//   `localhost:55000/...`, which no node pulls: such a file is refused, with what to use instead);
// - `oc adm release info --pullspecs`: its `Pull From:` line (the release image) and the
//   `Images:` section's `NAME  PULL SPEC` rows (openshift/oc pkg/cli/admin/release/info.go
//   describeReleaseInfo, a tabwriter table indented by two spaces).
// Every bad line is named with its number, all at once, before any pod.
import { InputError } from '../errors.js';
import { parseReference, pullString } from '../registries/reference.js';

export interface ListedImage {
  /** The reference as podman pulls it. */
  image: string;
  line: number;
}

export type ImageListForm = 'list' | 'mapping' | 'release-info';

const DOCKER = /^docker:\/\//;
/** oc-mirror v2's local cache registry (its default --port 55000). */
const OC_MIRROR_CACHE = 'localhost:55000';

export function imageListForm(lines: string[]): ImageListForm {
  if (lines.some((l) => /^Images:\s*$/.test(l)) && lines.some((l) => /^\s+NAME\s+PULL SPEC\s*$/.test(l))) return 'release-info';
  const meaningful = lines.map(withoutComment).filter((l) => l !== '');
  return meaningful.length > 0 && meaningful.every((l) => l.includes('=')) ? 'mapping' : 'list';
}

function withoutComment(line: string): string {
  const hash = line.indexOf('#');
  return (hash === -1 ? line : line.slice(0, hash)).trim();
}

/** The candidate reference of each line that names one, with its number (1-based). */
function candidates(lines: string[], form: ImageListForm): { text: string; line: number }[] {
  if (form === 'release-info') {
    const found: { text: string; line: number }[] = [];
    let section = '';
    lines.forEach((l, i) => {
      const pullFrom = /^Pull From:\s+(\S+)\s*$/.exec(l);
      if (pullFrom) found.push({ text: pullFrom[1]!, line: i + 1 });
      // A line at the margin opens a section (Images:, Warnings:, ...); its rows are indented.
      if (/^\S/.test(l)) section = l.trim();
      else if (section === 'Images:' && l.trim() !== '') {
        const [name, pullSpec] = l.trim().split(/\s+/);
        if (name !== 'NAME') found.push({ text: pullSpec ?? '', line: i + 1 });
      }
    });
    return found;
  }
  return lines.flatMap((l, i) => {
    const text = withoutComment(l);
    if (text === '') return [];
    return [{ text: form === 'mapping' ? text.slice(0, text.indexOf('=')) : text, line: i + 1 }];
  });
}

/** The images a file names, each once, in order; `origin` names the file in errors. */
export function readImageList(text: string, origin: string): ListedImage[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const form = imageListForm(lines);
  const images: ListedImage[] = [];
  const bad: string[] = [];
  const seen = new Set<string>();
  for (const { text: raw, line } of candidates(lines, form)) {
    const reference = raw.trim().replace(DOCKER, '');
    try {
      const image = pullString(parseReference(reference));
      if (!seen.has(image)) images.push({ image, line });
      seen.add(image);
    } catch (error) {
      bad.push(`line ${line}: ${(error as Error).message}`);
    }
  }
  if (bad.length) throw new InputError(`${origin}: ${bad.length} bad line(s): ${bad.join('; ')}`);
  if (form === 'mapping' && images.every((i) => i.image.startsWith(`${OC_MIRROR_CACHE}/`))) {
    throw new InputError(`${origin}: its sources are oc-mirror's local cache (${OC_MIRROR_CACHE}), as a disk-to-mirror dry run writes them: use the mapping.txt of the mirror-to-disk or mirror-to-mirror dry run, whose sources are the images nodes pull`);
  }
  if (images.length === 0) throw new InputError(`${origin}: no image in it (one reference a line, an oc-mirror mapping.txt, or oc adm release info --pullspecs)`);
  return images;
}
