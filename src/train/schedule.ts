/**
 * The learning-rate schedule, computed outside the graph and fed as its `lr` input: linear warm-up
 * then cosine decay to a floor, as nanoGPT's get_lr:
 *
 *   step < warmup:   lr * (step + 1) / (warmup + 1)
 *   after warm-up:   minLr + (lr - minLr) * (1 + cos(pi * (step - warmup) / (steps - warmup))) / 2
 *
 * `step` counts from 0; the last step of a run (steps - 1) stays a little above minLr.
 */

export interface LearningRateSchedule {
  /** peak learning rate, reached at the end of warm-up */
  lr: number;
  /** number of warm-up steps (0: start at the peak) */
  warmup: number;
  /** total steps of the run: the cosine reaches minLr at this step */
  steps: number;
  /** floor of the decay (nanoGPT's convention: lr / 10) */
  minLr: number;
}

export function learningRateAt(step: number, schedule: LearningRateSchedule): number {
  const { lr, warmup, steps, minLr } = schedule;
  if (step < warmup) return (lr * (step + 1)) / (warmup + 1);
  if (step >= steps || steps <= warmup) return steps <= warmup ? lr : minLr;
  const progress = (step - warmup) / (steps - warmup); // in [0, 1)
  return minLr + ((lr - minLr) * (1 + Math.cos(Math.PI * progress))) / 2;
}
