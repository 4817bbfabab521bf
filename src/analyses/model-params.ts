/** The `params.model` of the model analyses: a zoo model by name. */
import { UserError } from '../core/errors.js';
import { ZOO_MODELS, type ZooModelName } from '../zoo/zoo.js';

export function zooModelParam(analysis: string, value: unknown, fallback: ZooModelName | null): ZooModelName | null {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (ZOO_MODELS as readonly string[]).includes(value)) return value as ZooModelName;
  throw new UserError(`analysis ${analysis}: params.model must be one of ${ZOO_MODELS.join(', ')}, got ${JSON.stringify(value)}`);
}
