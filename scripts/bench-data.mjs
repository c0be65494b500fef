// The inputs the benches share.

export const ENTRIES = 5000;

/** The 5,000-entry registries.conf, each entry with two mirrors (about 1.6 MB); bench-start times explain on it too. */
export function bigRegistriesConf() {
  const lines = ['unqualified-search-registries = ["registry.access.redhat.com", "docker.io"]', 'short-name-mode = ""', ''];
  for (let i = 0; i < ENTRIES; i++) {
    lines.push('[[registry]]', '  prefix = ""', `  location = "registry-${i % 97}.example.com/team-${i}/apps"`);
    if (i % 50 === 0) lines.push('  blocked = true');
    for (let m = 0; m < 2; m++) {
      lines.push('', '  [[registry.mirror]]', `    location = "mirror-${m}.corp.example.com:5000/team-${i}/apps"`, `    pull-from-mirror = "${m === 0 ? 'digest-only' : 'tag-only'}"`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
