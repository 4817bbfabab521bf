export * from './config.js';
export * from './init.js';
export * from './weights.js';
export * from './onnx-builder.js';
export * from './gpt-graph.js';
export * from './reference.js';
export * from './safetensors.js';
export * from './weights-io.js';
export { streamKey } from './random.js';
