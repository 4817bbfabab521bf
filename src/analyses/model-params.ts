/** The `params.model` of the model analyses: a zoo model by name. */
import { ZOO_MODELS } from '../zoo/zoo.js';
import { oneOf } from './params.js';

export const zooModel = oneOf(ZOO_MODELS);
