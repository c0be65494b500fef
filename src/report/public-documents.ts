// The public documents of audit, status and cleanup (docs/output.md): the fields a script may
// rely on, declared here and copied field by field from the app's models, so that a field
// renamed or added in app/ changes no document unless it is changed here too (and in the doc).
import type { AuditResult } from '../app/audit.js';
import type { Leftover } from '../app/cleanup.js';
import type { StatusResult } from '../app/status.js';
import type { RunFacts } from './document.js';
import { findingWords } from './finding-words.js';

export interface AuditDocument {
  since: string;
  until: string;
  nodes: {
    name: string;
    error: string | null;
    complete: boolean;
    readUpTo: string | null;
    olderBoots: boolean;
    pulls: {
      image: string;
      at: string;
      outcome: string;
      servedBy: string | null;
      mirror: boolean | null;
      attempts: { reference: string; at: string; mirror: boolean; reason: string | null; message: string | null }[];
      error: string | null;
    }[];
  }[];
  findings: { kind: string; node: string; image: string; at: string; detail: string }[];
  run?: RunFacts;
}

export function auditDocument(result: AuditResult, run?: RunFacts): AuditDocument {
  return {
    since: result.since,
    until: result.until,
    nodes: result.nodes.map((n) => ({
      name: n.name,
      error: n.error,
      complete: n.complete,
      readUpTo: n.readUpTo,
      olderBoots: n.olderBoots,
      pulls: n.pulls.map((p) => ({
        image: p.image,
        at: p.at,
        outcome: p.outcome,
        servedBy: p.servedBy,
        mirror: p.mirror,
        attempts: p.attempts.map((a) => ({ reference: a.reference, at: a.at, mirror: a.mirror, reason: a.reason, message: a.message })),
        error: p.error,
      })),
    })),
    findings: result.findings.map((f) => ({ kind: f.kind, node: f.node, image: f.image, at: f.at, detail: findingWords(f) })),
    ...(run ? { run } : {}),
  };
}

export interface StatusDocument {
  pools: {
    name: string;
    machineCount: number;
    updatedMachineCount: number;
    readyMachineCount: number;
    degradedMachineCount: number;
    unavailableMachineCount: number;
    updating: boolean;
    degraded: boolean;
    message: string | null;
    currentConfig: string | null;
    desiredConfig: string | null;
    registries: { present: boolean; matchesPolicies: boolean | null } | null;
  }[];
  nodes: { name: string; pool: string | null; currentConfig: string | null; desiredConfig: string | null; state: string | null; upToDate: boolean }[];
  signaturePolicies: { kind: string; name: string; namespace: string | null; apiVersion: string; scopes: string[]; root: string | null; builtIn: boolean }[];
  credentialProvider: { apiVersion: string; matchImages: string[] } | null;
}

export function statusDocument(result: StatusResult): StatusDocument {
  return {
    pools: result.pools.map((p) => ({
      name: p.name,
      machineCount: p.machineCount,
      updatedMachineCount: p.updatedMachineCount,
      readyMachineCount: p.readyMachineCount,
      degradedMachineCount: p.degradedMachineCount,
      unavailableMachineCount: p.unavailableMachineCount,
      updating: p.updating,
      degraded: p.degraded,
      message: p.message,
      currentConfig: p.currentConfig,
      desiredConfig: p.desiredConfig,
      registries: p.registries && { present: p.registries.present, matchesPolicies: p.registries.matchesPolicies },
    })),
    nodes: result.nodes.map((n) => ({ name: n.name, pool: n.pool, currentConfig: n.currentConfig, desiredConfig: n.desiredConfig, state: n.state, upToDate: n.upToDate })),
    signaturePolicies: result.signaturePolicies.map((p) => ({ kind: p.kind, name: p.name, namespace: p.namespace, apiVersion: p.apiVersion, scopes: [...p.scopes], root: p.root, builtIn: p.builtIn })),
    credentialProvider: result.credentialProvider && { apiVersion: result.credentialProvider.apiVersion, matchImages: [...result.credentialProvider.matchImages] },
  };
}

export interface CleanupDocument {
  dryRun: boolean;
  leftovers: { namespace: string; runId: string | null; ageMs: number | null; contents: string[]; removed: boolean }[];
}

export function cleanupDocument(leftovers: Leftover[], dryRun: boolean): CleanupDocument {
  return { dryRun, leftovers: leftovers.map((l) => ({ namespace: l.namespace, runId: l.runId, ageMs: l.ageMs, contents: [...l.contents], removed: l.removed })) };
}
