// A node fact: one thing the node script finds out on each node, in one module. The module owns
// its part of the script (a .sh file beside it), the marker words and sections it writes, the
// reader of those lines, the fact's typed result for each image checked, and what it makes the
// run say beside the verdict (its warnings, as codes). Its JSON field is its key. Adding a fact
// is adding a module and its line in facts/index.ts.
import type { Expectation, NodeVerdict } from '../pull-log/evidence.js';
import type { ImageReference } from '../registries/reference.js';
import type { ImagePolicyObject } from '../registries/image-policies.js';
import type { RegistriesConf } from '../registries/registries-conf.js';

/** Reads the lines of the fact's own marks and sections; one reader per node. */
export interface FactReader<Raw> {
  /** A marker line of one of the fact's marks: its word and arguments. */
  mark(word: string, args: string[]): void;
  /** A line inside one of the fact's sections (opened by `mark section NAME ARGS...`). */
  line(section: string, text: string): void;
  /** A section of the fact's opens. */
  open?(section: string, args: string[]): void;
  result(): Raw;
}

/** One image's check on one node, before its verdict. */
export interface ImageBase {
  node: string;
  image: string;
  ref: ImageReference;
  /** What the cluster's policies render to, or null when unknown. */
  expected: RegistriesConf | null;
  /** The cluster's ClusterImagePolicies and ImagePolicies, or null when unknown. */
  expectedSignatures?: { policies: ImagePolicyObject[] } | null;
  /** The run checks several images: a node's warning names the image. */
  severalImages: boolean;
}

/** The same, with the verdict decided: what a fact's result may depend on besides the node. */
export interface ImageContext extends ImageBase {
  verdict: NodeVerdict;
}

export interface NodeFact<Key extends string, Raw, Result, Warning = never> {
  readonly key: Key;
  /** Where its part of the script runs: before the pulls (their setup may use it) or after them. */
  readonly stage: 'prelude' | 'epilogue';
  readonly script: string;
  readonly marks: readonly string[];
  readonly sections: readonly string[];
  reader(): FactReader<Raw>;
  /** What the fact tells the verdict about the image before it is decided. */
  expectation?(raw: Raw, image: ImageBase): Partial<Expectation>;
  /** The fact for one image's result (most facts are the node's, the same for every image). */
  result(raw: Raw, image: ImageContext): Result;
  /**
   * Its result for an image follows from the verdict and files the fingerprint covers
   * (facts/fingerprint.sh) alone: a node that takes another's read takes this too (app/compose.ts).
   */
  readonly fromFiles?: boolean;
  /** What the run must say of the node beside its verdict. */
  warnings?(result: Result, image: ImageContext): Warning[];
}
