// The shapes the sandbox's API server keeps and answers with: Kubernetes objects as JSON, and
// the Status it answers errors with (k8s.io/apimachinery pkg/apis/meta/v1/types.go, Status).

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: Record<string, unknown> & Partial<PodSpec>;
  status?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  securityContext?: { privileged?: boolean; runAsUser?: number };
  terminationMessagePath?: string;
  terminationMessagePolicy?: 'File' | 'FallbackToLogsOnError';
}

export interface PodSpec {
  nodeName?: string;
  serviceAccountName?: string;
  priorityClassName?: string;
  containers: Container[];
  initContainers?: Container[];
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  terminationGracePeriodSeconds?: number;
  affinity?: unknown;
  hostPID?: boolean;
  hostNetwork?: boolean;
}

export type StatusReason = 'NotFound' | 'AlreadyExists' | 'Forbidden' | 'Unauthorized' | 'BadRequest' | 'Invalid' | 'MethodNotAllowed' | 'Conflict' | 'NotAcceptable' | 'UnsupportedMediaType';

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason?: StatusReason;
  details?: { name?: string; group?: string; kind?: string };
  code: number;
}

/** An answer that is an API error; thrown by the store and admission, rendered by the server. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details: Status['details'] = undefined,
  ) {
    super(message);
  }

  toStatus(): Status {
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, ...(this.details ? { details: this.details } : {}), code: this.code };
  }
}

// The messages follow k8s.io/apimachinery pkg/api/errors/errors.go (NewNotFound, NewAlreadyExists,
// NewForbidden, NewUnauthorized, NewBadRequest): `<resource>.<group> "<name>" not found`.
const qualified = (resource: string, group: string) => (group ? `${resource}.${group}` : resource);
export const notFound = (resource: string, group: string, name: string) =>
  new ApiError(404, 'NotFound', `${qualified(resource, group)} "${name}" not found`, { name, group, kind: resource });
export const alreadyExists = (resource: string, group: string, name: string) =>
  new ApiError(409, 'AlreadyExists', `${qualified(resource, group)} "${name}" already exists`, { name, group, kind: resource });
export const forbidden = (resource: string, group: string, name: string, why: string) =>
  new ApiError(403, 'Forbidden', `${qualified(resource, group)} "${name}" is forbidden: ${why}`, { name, group, kind: resource });
export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);
