// runtime-utils pkg/registries ScopeIsNestedInsideScope: is subScope (a prefix or a mirror
// location) inside superScope (a registry, namespace, repository or `*.domain`)?
export function scopeIsNestedInsideScope(subScope: string, superScope: string): boolean {
  if (subScope === superScope) return true;
  if (subScope.length > superScope.length && subScope.startsWith(superScope) && subScope[superScope.length] === '/') return true;
  if (!superScope.startsWith('*.')) return false;
  const domain = superScope.slice(1);
  if (subScope.includes(':')) {
    const host = subScope.split(':')[0]!;
    return host.endsWith(domain) && !host.includes('/');
  }
  return subScope.split('/')[0]!.endsWith(domain);
}
