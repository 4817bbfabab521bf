/**
 * A small ONNX graph builder. A graph is kept as plain data (inputs, parameters, constants and a
 * list of nodes with op type, inputs, outputs and attributes) until it is serialized, so that
 * other code can walk it: a gradient builder appends the backward nodes of the same graph, and a
 * placement check can list the ops it uses.
 *
 * Parameters (the model's weights) are declared by name and shape only. Serializing binds them
 * either as initializers with values (an inference model that opens in Netron and in any
 * onnxruntime) or as graph inputs (for a training graph whose state lives outside the file).
 */
import os from 'node:os';
import {
  type AttributeProtoObject,
  type ModelProtoObject,
  type TensorProtoObject,
  type ValueInfoProtoObject,
  OnnxAttributeType,
  OnnxDataType,
  encodeModelProto,
} from './onnx-proto.js';
import type { FloatTensor } from './weights.js';

export type AttributeValue =
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'ints'; value: number[] }
  | { type: 'floats'; value: number[] }
  | { type: 'string'; value: string };

/** Typed attribute values: ONNX distinguishes int and float attributes, JS numbers do not. */
export const attr = {
  int: (value: number): AttributeValue => ({ type: 'int', value }),
  float: (value: number): AttributeValue => ({ type: 'float', value }),
  ints: (value: number[]): AttributeValue => ({ type: 'ints', value }),
  floats: (value: number[]): AttributeValue => ({ type: 'floats', value }),
  string: (value: string): AttributeValue => ({ type: 'string', value }),
};

export interface GraphNode {
  /** unique, scoped by the module that made it, e.g. 'blocks.0.attn/Softmax_41' */
  name: string;
  opType: string;
  /** '' is the default ONNX domain */
  domain: string;
  /** value names; '' marks an omitted optional input */
  inputs: string[];
  outputs: string[];
  attributes: Record<string, AttributeValue>;
}

/** 'bool' only for values computed inside a graph (comparison results), never for constants. */
export type ElementType = 'float32' | 'int64' | 'int32' | 'bool';

/** A dimension: a number, or a name for a dimension fixed only at run time (e.g. 'B'). */
export type Dim = number | string;

export interface GraphValue {
  name: string;
  elementType: ElementType;
  shape: Dim[];
}

export interface GraphParameter {
  name: string;
  shape: number[];
}

export interface GraphConstant {
  name: string;
  elementType: ElementType;
  shape: number[];
  data: Float32Array | BigInt64Array;
}

export const DEFAULT_OPSET = 20; // Gelu arrived in opset 20
const IR_VERSION = 9; // the IR version of opset 20 (ONNX 1.15)

export class GraphBuilder {
  readonly inputs: GraphValue[] = [];
  readonly outputs: GraphValue[] = [];
  readonly parameters: GraphParameter[] = [];
  readonly constants = new Map<string, GraphConstant>();
  readonly nodes: GraphNode[] = [];

  private readonly scopes: string[] = [];
  private nextId = 0;
  private readonly valueNames = new Set<string>();

  constructor(readonly name: string) {}

  /** A graph input, e.g. token ids ('idx', 'int64', ['B', T]). */
  input(name: string, elementType: ElementType, shape: Dim[]): string {
    this.claimName(name);
    this.inputs.push({ name, elementType, shape });
    return name;
  }

  /** A model weight, declared once and referenced by name wherever it is used (weight tying). */
  parameter(name: string, shape: number[]): string {
    const existing = this.parameters.find((p) => p.name === name);
    if (existing !== undefined) {
      if (existing.shape.join(',') !== shape.join(',')) {
        throw new Error(`parameter '${name}' declared with shapes (${existing.shape}) and (${shape})`);
      }
      return name;
    }
    this.claimName(name);
    this.parameters.push({ name, shape: [...shape] });
    return name;
  }

  /** A float32 constant tensor (stored as an initializer), e.g. the causal mask. */
  floatConstant(name: string, shape: number[], values: ArrayLike<number>): string {
    return this.constant({ name, elementType: 'float32', shape, data: Float32Array.from(values) });
  }

  /** An int64 constant, named by its content so that equal constants are shared (shapes, axes). */
  int64s(values: number[]): string {
    const name = `const_i64[${values.join(',')}]`;
    if (this.constants.has(name)) return name;
    const data = BigInt64Array.from(values, (v) => BigInt(v));
    return this.constant({ name, elementType: 'int64', shape: [values.length], data });
  }

  /** A float32 scalar constant, named by its value. */
  scalar(value: number): string {
    const name = `const_f32(${value})`;
    if (this.constants.has(name)) return name;
    return this.constant({ name, elementType: 'float32', shape: [], data: Float32Array.of(value) });
  }

  /**
   * Append a node with one output and return the output's name. `output` names it explicitly
   * (graph outputs need their own names); otherwise it is named after the node.
   */
  op(
    opType: string,
    inputs: string[],
    attributes: Record<string, AttributeValue> = {},
    options: { output?: string; domain?: string } = {},
  ): string {
    const nodeName = this.uniqueNodeName(opType);
    const output = options.output ?? `${nodeName}:0`;
    this.claimName(output);
    this.nodes.push({
      name: nodeName,
      opType,
      domain: options.domain ?? '',
      inputs: [...inputs],
      outputs: [output],
      attributes,
    });
    return output;
  }

  /** Declare a value already produced by a node as a graph output. */
  output(name: string, elementType: ElementType, shape: Dim[]): void {
    if (!this.nodes.some((n) => n.outputs.includes(name))) {
      throw new Error(`graph output '${name}' is not produced by any node`);
    }
    this.outputs.push({ name, elementType, shape });
  }

  /** Run `build` with node names prefixed by `scope` (e.g. 'blocks.3.attn'), for readable logs. */
  scope<T>(scope: string, build: () => T): T {
    this.scopes.push(scope);
    try {
      return build();
    } finally {
      this.scopes.pop();
    }
  }

  /**
   * Forget the declared graph outputs (the nodes stay), so that a derived graph can declare its
   * own: a training graph keeps the forward nodes but does not return the (B, T, V) logits.
   */
  clearOutputs(): void {
    this.outputs.length = 0;
  }

  /** The node that produces `value`, or undefined for inputs, parameters and constants. */
  producer(value: string): GraphNode | undefined {
    return this.nodes.find((n) => n.outputs.includes(value));
  }

  /** The op types the graph uses, with counts (for placement checks and summaries). */
  opTypeCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const node of this.nodes) counts.set(node.opType, (counts.get(node.opType) ?? 0) + 1);
    return counts;
  }

  private constant(constant: GraphConstant): string {
    this.claimName(constant.name);
    this.constants.set(constant.name, constant);
    return constant.name;
  }

  private uniqueNodeName(opType: string): string {
    const prefix = this.scopes.length > 0 ? `${this.scopes[this.scopes.length - 1]}/` : '';
    return `${prefix}${opType}_${this.nextId++}`;
  }

  private claimName(name: string): void {
    if (this.valueNames.has(name)) throw new Error(`graph value '${name}' defined twice`);
    this.valueNames.add(name);
  }
}

export interface SerializeOptions {
  /**
   * 'initializers': parameter values are stored in the file (needs `weights`);
   * 'inputs': parameters become float32 graph inputs, fed at run time.
   */
  parametersAs: 'initializers' | 'inputs';
  weights?: Map<string, FloatTensor>;
  opset?: number;
  docString?: string;
  /** stored as ModelProto.metadata_props (shown by Netron, read back by our loader) */
  metadata?: Record<string, string>;
  /**
   * With parametersAs 'inputs': parameters that are still stored as initializers (needs their
   * `weights`), e.g. the frozen parameters of a training graph.
   */
  initializerParameters?: ReadonlySet<string>;
  /**
   * 'float64' writes every float32 input, output, parameter and constant as double, for checks
   * against a float64 reference on the CPU EP (float attributes such as epsilon stay float).
   */
  floatType?: 'float32' | 'float64';
}

/** Serialize a graph to ONNX ModelProto bytes. */
export function serializeGraph(graph: GraphBuilder, options: SerializeOptions): Uint8Array {
  if (os.endianness() !== 'LE') throw new Error('ONNX raw_data is little-endian; this host is not');
  const initializers: TensorProtoObject[] = [];
  const parameterInputs: ValueInfoProtoObject[] = [];
  const float64 = options.floatType === 'float64';
  const valueInfo = (value: GraphValue): ValueInfoProtoObject => valueInfoProto(value, float64);
  const tensorProto = (
    name: string,
    elementType: ElementType,
    shape: number[],
    data: Float32Array | BigInt64Array,
  ): TensorProtoObject => tensorProtoOf(name, elementType, shape, data, float64);

  for (const p of graph.parameters) {
    const asInput = options.parametersAs === 'inputs' && !(options.initializerParameters?.has(p.name) ?? false);
    if (asInput) {
      parameterInputs.push(valueInfo({ name: p.name, elementType: 'float32', shape: p.shape }));
      continue;
    }
    const tensor = options.weights?.get(p.name);
    if (tensor === undefined) throw new Error(`serializeGraph: no weights for parameter '${p.name}'`);
    if (tensor.shape.join(',') !== p.shape.join(',')) {
      throw new Error(`serializeGraph: '${p.name}' has shape (${tensor.shape}), graph expects (${p.shape})`);
    }
    initializers.push(tensorProto(p.name, 'float32', p.shape, tensor.data));
  }
  for (const c of graph.constants.values()) {
    initializers.push(tensorProto(c.name, c.elementType, c.shape, c.data));
  }

  const model: ModelProtoObject = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: options.opset ?? DEFAULT_OPSET }],
    producerName: 'paper-artifacts',
    producerVersion: '0.1.0',
    docString: options.docString ?? '',
    metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: graph.name,
      node: (float64 ? graph.nodes.flatMap(float32Island) : graph.nodes).map((n) => ({
        name: n.name,
        opType: n.opType,
        domain: n.domain,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attributes).map(([name, value]) => attributeProto(name, value)),
      })),
      initializer: initializers,
      input: [...graph.inputs.map(valueInfo), ...parameterInputs],
      output: graph.outputs.map(valueInfo),
    },
  };
  return encodeModelProto(model);
}

/**
 * Ops that onnxruntime's CPU EP has no float64 kernel for (1.30: Erf, and Gelu, which it expands
 * to Erf). In a float64 graph they run in float32 between two Casts, so about 1e-7 relative error
 * enters there; everything else stays in double.
 */
export const FLOAT32_ONLY_OPS: ReadonlySet<string> = new Set(['Erf', 'Gelu']);

function float32Island(node: GraphNode): GraphNode[] {
  if (!FLOAT32_ONLY_OPS.has(node.opType)) return [node];
  const cast = (from: string, to: string, type: number): GraphNode => ({
    name: `Cast(${to})`,
    opType: 'Cast',
    domain: '',
    inputs: [from],
    outputs: [to],
    attributes: { to: { type: 'int', value: type } },
  });
  const inner = (name: string): string => `${node.name}/${name}/float32`; // unique per node
  return [
    ...node.inputs.map((i) => cast(i, inner(i), OnnxDataType.FLOAT)),
    { ...node, inputs: node.inputs.map(inner), outputs: node.outputs.map(inner) },
    ...node.outputs.map((o) => cast(inner(o), o, OnnxDataType.DOUBLE)),
  ];
}

function tensorProtoOf(
  name: string,
  elementType: ElementType,
  shape: number[],
  data: Float32Array | BigInt64Array,
  float64: boolean,
): TensorProtoObject {
  if (elementType === 'bool') throw new Error(`tensor '${name}': bool constants are not supported`);
  if (elementType === 'float32' && float64) {
    const doubles = Float64Array.from(data as Float32Array);
    return { name, dims: shape, dataType: OnnxDataType.DOUBLE, rawData: new Uint8Array(doubles.buffer) };
  }
  return {
    name,
    dims: shape,
    dataType: { float32: OnnxDataType.FLOAT, int64: OnnxDataType.INT64, int32: OnnxDataType.INT32 }[elementType],
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

function valueInfoProto(value: GraphValue, float64: boolean): ValueInfoProtoObject {
  const elemType = {
    float32: float64 ? OnnxDataType.DOUBLE : OnnxDataType.FLOAT,
    int64: OnnxDataType.INT64,
    int32: OnnxDataType.INT32,
    bool: OnnxDataType.BOOL,
  }[value.elementType];
  return {
    name: value.name,
    type: {
      tensorType: {
        elemType,
        shape: {
          dim: value.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

function attributeProto(name: string, value: AttributeValue): AttributeProtoObject {
  switch (value.type) {
    case 'int':
      return { name, type: OnnxAttributeType.INT, i: value.value };
    case 'float':
      return { name, type: OnnxAttributeType.FLOAT, f: value.value };
    case 'ints':
      return { name, type: OnnxAttributeType.INTS, ints: value.value };
    case 'floats':
      return { name, type: OnnxAttributeType.FLOATS, floats: value.value };
    case 'string':
      return { name, type: OnnxAttributeType.STRING, s: new TextEncoder().encode(value.value) };
  }
}
