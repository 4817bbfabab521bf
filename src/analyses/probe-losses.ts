/**
 * probe-losses: loss and perplexity of a zoo model on the corpus's held-out split, and the
 * perplexity gap between CT+SFT and V1.
 */
import { z } from 'zod';
import type { Output } from './types.js';
import { zooModel } from './model-params.js';
import { type AnalysisDeclaration, defineAnalysis } from './params.js';

export const probeLosses = {
  name: 'probe-losses',
  description:
    'validation loss and perplexity of a model of the zoo (params.model: random-init, ct-init, ct-sft, v1) on the held-out split, cut into windows of the training length; the gap outputs need no params.model',
  outputs: {
    loss: 'mean cross-entropy (nats) of params.model',
    perplexity: 'exp(loss)',
    gapPercent: 'perplexity gap CT+SFT vs V1, percent',
    gap: 'the same gap as a fraction: ppl(CT+SFT) / ppl(V1) - 1',
    trainingLosses: 'training loss of params.model at each step (array; empty for untrained models)',
  },
  nullControl: 'ln(vocab), the loss of a uniform predictor; for the trained and CT models also the random-init model',
  params: z.strictObject({
    /** absent: only the gap outputs */
    model: zooModel.optional(),
  }),
} satisfies AnalysisDeclaration;

export const probeLossesAnalysis = defineAnalysis({
  ...probeLosses,
  async run(ctx, params) {
    const model = params.model ?? null;
    const zoo = ctx.zoo();
    const config = await zoo.config();
    const [sft, v1] = [await zoo.validation('ct-sft'), await zoo.validation('v1')];
    const gap = sft.perplexity / v1.perplexity - 1;
    const outputs: Record<string, Output> = { gap, gapPercent: 100 * gap };
    const uniform = Math.log(config.vocabSize);
    const nulls: Record<string, Output[]> = {};
    const { training } = ctx.profile;
    const notes = [
      `Held-out split: ${sft.positions} predicted positions in windows of ${training.seqLen} tokens. CT+SFT and V1 trained ${training.sftSteps} steps of ${training.batchSize} x ${training.seqLen} tokens on identical batches (profile ${ctx.profile.name}), on ${zoo.ep.ep}.`,
    ];
    if (model !== null) {
      const probe = await zoo.validation(model);
      outputs.loss = probe.loss;
      outputs.perplexity = probe.perplexity;
      outputs.trainingLosses = (await zoo.model(model)).trainingLosses;
      nulls.loss = [uniform];
      nulls.perplexity = [config.vocabSize];
      if (model !== 'random-init') {
        const random = await zoo.validation('random-init');
        nulls.loss.push(random.loss);
        nulls.perplexity.push(random.perplexity);
      }
    }
    return {
      outputs,
      nulls,
      nullDescription:
        model === 'random-init' || model === null
          ? `a uniform predictor over the ${config.vocabSize}-token vocabulary (loss ln V = ${uniform.toFixed(3)})`
          : `a uniform predictor (loss ln V = ${uniform.toFixed(3)}) and the random-init model of the same architecture`,
      notes,
    };
  },
});
