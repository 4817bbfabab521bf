/**
 * The readings of open methods (papers/readings/methods.ts) reach every report that relies on them,
 * through its spec's interpretations: nothing in src/ adds them any more.
 */
import { describe, expect, it } from 'vitest';
import { loadSpecs } from '../../src/claims/load.js';
import { ANALYSES } from '../../src/analyses/catalog.js';
import { CRYSTALLIZATION_TRANSFORM, CT_INIT, INIT_VARIANTS } from '../../papers/readings/methods.js';

const specs = await loadSpecs('papers', ANALYSES);

describe('shared readings', () => {
  it('are not loaded as specs themselves', () => {
    expect(specs.map((s) => s.file).filter((f) => f.includes('readings'))).toEqual([]);
  });

  it('appear in every spec: each paper\'s claims rest on E and on the zoo\'s CT-init or trained models', () => {
    for (const { spec } of specs) {
      expect(spec.interpretations, spec.id).toContainEqual(CRYSTALLIZATION_TRANSFORM);
      expect(spec.interpretations, spec.id).toContainEqual(CT_INIT);
    }
  });

  it('describe the init variants exactly where a spec trains them', () => {
    for (const { spec } of specs) {
      const trainsVariants = spec.claims.some((c) => c.analysis?.name === 'init-variant-losses');
      expect(spec.interpretations.some((i) => i.id === INIT_VARIANTS.id), spec.id).toBe(trainsVariants);
    }
  });
});
