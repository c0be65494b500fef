import { describe, expect, it } from 'vitest';
import { readVectors } from '../reference-data.js';
import { loadRegistriesConf } from '../../src/registries/registries-conf.js';
import { resolvePullSources } from '../../src/registries/resolve.js';
import { parseReference } from '../../src/registries/reference.js';

interface Vector {
  name: string;
  registriesConf: string;
  reference: string | null;
  expectedSources?: { reference: string; insecure: boolean; blockedError?: string }[];
  expectedError?: string;
}

describe('containers/image pull-source vectors', () => {
  for (const v of readVectors<Vector>('pull-sources.json')) {
    it(v.name, () => {
      const load = () => loadRegistriesConf({ path: '/etc/containers/registries.conf', text: v.registriesConf });
      if (v.expectedError !== undefined) {
        expect(load).toThrow(v.expectedError);
        return;
      }
      const resolution = resolvePullSources(load(), parseReference(v.reference!));
      expect(resolution.sources.map((s) => ({ reference: s.reference, insecure: s.insecure, blocked: s.blocked }))).toEqual(
        v.expectedSources!.map((s) => ({ reference: s.reference, insecure: s.insecure, blocked: s.blockedError !== undefined })),
      );
    });
  }
});
