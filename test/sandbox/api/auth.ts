// Who is asking, and may they. Bearer tokens from the sandbox's kubeconfig; a token the server
// does not know, or any token while the sandbox plays "logged out", gets 401 Unauthorized
// (k8s.io/apiserver pkg/endpoints/filters/authentication.go, responsewriters.Unauthorized). A
// user without the permission gets 403 with the RBAC authorizer's words
// (k8s.io/apiserver pkg/endpoints/handlers/responsewriters/errors.go forbiddenMessage).
// Every authenticated user may read discovery and OpenAPI (ClusterRole system:discovery), review
// itself, and read its own user (OpenShift's basic-user role grants get on users/~).
import { ApiError } from './types.js';

export interface User {
  name: string;
  groups: string[];
  /** Which kubeconfig credential it came with (what a test checks reached the server). */
  credential: string;
}

export interface Credentials {
  [token: string]: { user: string; groups: string[]; credential: string };
}

export function authenticate(header: string | undefined, credentials: Credentials, loggedOut: boolean): User {
  const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
  const known = token ? credentials[token] : undefined;
  if (!known || loggedOut) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
  return { name: known.user, groups: [...known.groups, 'system:authenticated'], credential: known.credential };
}

export interface Access {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export function authorize(user: User, access: Access): void {
  if (user.groups.includes('system:masters') || user.groups.includes('system:cluster-admins')) return;
  if (access.resource === 'selfsubjectreviews' && access.verb === 'create') return;
  if (access.group === 'user.openshift.io' && access.resource === 'users' && access.name === '~' && access.verb === 'get') return;
  const resource = access.subresource ? `${access.resource}/${access.subresource}` : access.resource;
  const scope = access.namespace ? `in the namespace "${access.namespace}"` : 'at the cluster scope';
  const subject = access.name ? `${resource} "${access.name}"` : resource;
  throw new ApiError(403, 'Forbidden', `${subject} is forbidden: User "${user.name}" cannot ${access.verb} resource "${resource}" in API group "${access.group}" ${scope}`, {
    ...(access.name ? { name: access.name } : {}),
    group: access.group,
    kind: access.resource,
  });
}
