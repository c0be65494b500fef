// The node facts, in the order their parts run and their fields appear in a node's JSON. A new
// fact is a module in this folder and its line here.
import type { NodeFact } from '../fact.js';
import { credentials } from './credentials.js';
import { crioConfig } from './crio-config.js';
import { disk } from './disk.js';
import { fingerprint } from './fingerprint.js';
import { podman } from './podman.js';
import { probeConfig } from './probe-config.js';
import { proxy } from './proxy.js';
import { registriesConf } from './registries-conf.js';
import { signatures } from './signatures.js';

export const FACTS = [registriesConf, proxy, credentials, crioConfig, disk, probeConfig, signatures, podman, fingerprint] as const;

type Fact = (typeof FACTS)[number];
type RawOf<F> = F extends NodeFact<string, infer Raw, unknown, unknown> ? Raw : never;
type ResultOf<F> = F extends NodeFact<string, unknown, infer Result, unknown> ? Result : never;
type WarningOf<F> = F extends NodeFact<string, unknown, unknown, infer W> ? W : never;

/** What the node's lines said, fact by fact. */
export type RawFacts = { [F in Fact as F['key']]: RawOf<F> };
/** Each fact's result for one image's check. */
export type NodeFacts = { [F in Fact as F['key']]: ResultOf<F> };
/** The warnings the facts give. */
export type FactWarning = WarningOf<Fact>;
/** Any fact, typed loosely: for the code that goes through them all. */
export type AnyFact = NodeFact<keyof NodeFacts & string, unknown, unknown, FactWarning>;
export const ALL_FACTS = FACTS as readonly AnyFact[];
