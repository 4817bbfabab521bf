/**
 * init-variant-losses: the attention inits of Papers 57 and 57b trained the same steps on the same
 * batches, their losses at step 0 and after params.steps steps, and how close the PR-matched
 * blend's spectrum is to the trained model's.
 */
import { z } from 'zod';
import type { Output } from './types.js';
import { type AnalysisDeclaration, defineAnalysis, integer, oneOf } from './params.js';
import { INIT_VARIANTS } from '../zoo/inits.js';
import { antisymmetricBilinearForms } from '../zoo/attention.js';
import { cosine, mean, singularValues } from '../linalg/index.js';

export const initVariantLosses = {
  name: 'init-variant-losses',
  description:
    'loss at step 0 and after params.steps steps (default: the profile\'s init-variant steps) for each attention init (params.init: random, asymmetry-injection, direct-t1, pr-matched-blend, trained-oracle), identical batches in identical order',
  outputs: {
    initialLoss: 'loss before training: mean cross-entropy on the first training batch',
    loss: 'loss after params.steps steps: mean cross-entropy on the next training batch (number params.steps), the same batch for every init',
    changeVsRandom: 'relative change of the loss after params.steps steps against random init, (loss - random) / random, as a fraction (a printed -2.8% is -0.028)',
    validationLoss: 'loss on the held-out split after params.steps steps',
    validationChangeVsRandom: 'relative change of validationLoss against random init, as a fraction',
    lossCurve: 'training loss at each step (array)',
    meanBlendTrainedCosine: 'mean over layers of blendTrainedCosine (params.init pr-matched-blend only)',
    blendTrainedCosine: 'cosine between the sorted singular values of the blend init\'s antisymmetric part and of the trained V1 model\'s M_A, per layer (array; params.init pr-matched-blend only)',
  },
  nullControl: 'for the blend cosines: the same cosine for the random init\'s M_A in place of the blend',
  params: z.strictObject({
    init: oneOf(INIT_VARIANTS),
    /** absent: the profile's initVariantSteps */
    steps: integer(1).optional(),
  }),
} satisfies AnalysisDeclaration;

export const initVariantLossesAnalysis = defineAnalysis({
  ...initVariantLosses,
  async run(ctx, params) {
    const { init } = params;
    const steps = params.steps ?? ctx.profile.training.initVariantSteps;
    const zoo = ctx.zoo();
    const run = await zoo.initVariant(init, steps);
    const random = await zoo.initVariant('random', steps);
    const outputs: Record<string, Output> = {
      initialLoss: run.initialLoss,
      loss: run.loss,
      changeVsRandom: (run.loss - random.loss) / random.loss,
      validationLoss: run.validation.loss,
      validationChangeVsRandom: (run.validation.loss - random.validation.loss) / random.validation.loss,
      lossCurve: run.losses,
    };
    const nulls: Record<string, Output[]> = {};
    const notes = [
      `${steps} steps of ${ctx.profile.training.batchSize} x ${ctx.profile.training.seqLen} tokens, warm-up ${Math.min(ctx.profile.training.initVariantWarmup, steps - 1)}, on ${run.trainedOn} (profile ${ctx.profile.name}).`,
    ];
    const show = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(4));
    for (const [key, value] of Object.entries(run.detail)) {
      notes.push(`${key}: ${Array.isArray(value) ? value.map(show).join(', ') : show(value)}`);
    }

    if (init === 'pr-matched-blend') {
      const config = await zoo.config();
      const trained = antisymmetricBilinearForms((await zoo.model('v1')).weights, config).map(singularValues);
      const blend = (await zoo.initVariantInit('pr-matched-blend')).injected!.map(singularValues);
      const randomForms = antisymmetricBilinearForms((await zoo.model('ct-init')).weights, config).map(singularValues);
      const blendCosine = blend.map((s, l) => cosine(s, trained[l]));
      const randomCosine = randomForms.map((s, l) => cosine(s, trained[l]));
      outputs.blendTrainedCosine = blendCosine;
      outputs.meanBlendTrainedCosine = mean(blendCosine);
      nulls.blendTrainedCosine = [randomCosine];
      nulls.meanBlendTrainedCosine = [mean(randomCosine)];
    }
    return {
      outputs,
      nulls,
      nullDescription: init === 'pr-matched-blend' ? 'the random init\'s M_A (CT init) in place of the blend, against the same trained M_A' : undefined,
      notes,
    };
  },
});
