import { describe, expect, it } from 'vitest';
import { parse as parseToml } from 'smol-toml';
import { readVectors } from '../reference-data.js';
import { readPolicies } from '../../src/registries/policies.js';
import { editRegistries, renderRegistries, renderRegistriesConf } from '../../src/registries/render.js';

interface Vector {
  name: string;
  icsps: unknown[];
  idms: unknown[];
  itms: unknown[];
  imageConfig: { spec: unknown };
  baseRegistriesConf?: string;
  expectedRegistries?: unknown[];
  expectedRegistriesConf?: string;
  expectedError?: string;
  notes?: string;
  /** Ours: a raw runtime-utils result the MCO refuses, with the refusal's text. */
  rejectedByMco?: string;
}

function policySet(v: Vector) {
  const objects = [
    ...v.icsps,
    ...v.idms,
    ...v.itms,
    { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: v.imageConfig.spec },
  ].map((object) => ({ origin: v.name, object }));
  return readPolicies(objects);
}

describe('machine-config-operator render vectors', () => {
  for (const v of readVectors<Vector>('mco-render.json')) {
    it(v.name, () => {
      if (v.expectedError !== undefined) {
        expect(() => renderRegistries(policySet(v))).toThrow(v.expectedError);
        return;
      }
      if (v.rejectedByMco !== undefined) {
        // A raw runtime-utils result that the MCO itself refuses.
        expect(() => renderRegistries(policySet(v))).toThrow(v.rejectedByMco);
        const raw = editRegistries(policySet(v));
        expect(raw.map(({ mirrors, ...rest }) => (mirrors?.length ? { ...rest, mirrors } : rest))).toEqual(v.expectedRegistries);
        return;
      }
      const registries = renderRegistries(policySet(v));
      expect(registries.map(({ mirrors, ...rest }) => (mirrors?.length ? { ...rest, mirrors } : rest))).toEqual(v.expectedRegistries);
      // The text, compared structurally: same TOML data as the MCO's BurntSushi output.
      const text = renderRegistriesConf(policySet(v), v.baseRegistriesConf);
      expect(parseToml(text)).toEqual(parseToml(v.expectedRegistriesConf!));
    });
  }
});
