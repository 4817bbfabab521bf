/**
 * The part of the ONNX protobuf schema (onnx/onnx.proto3, IR version 9) that this project writes
 * and reads, loaded with protobufjs at run time.
 *
 * Why not the `onnx-proto` npm package: it ships code generated for protobufjs 6 (ONNX 1.10, IR 8)
 * and would pull a second protobufjs into node_modules. The schema text below is short, readable,
 * keeps the field numbers of upstream onnx.proto (the numbers are what goes on the wire; names are
 * ours to keep), and parses with the protobufjs 8 already installed. Messages and fields that we
 * never touch (sparse tensors, functions, training info, quantization annotations) are left out;
 * protobuf decoders skip unknown fields, so files that contain them still load.
 */
import protobuf from 'protobufjs';

const ONNX_PROTO3 = `
syntax = "proto3";
package onnx;

message AttributeProto {
  enum AttributeType {
    UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5; SPARSE_TENSOR = 11;
    TYPE_PROTO = 13; FLOATS = 6; INTS = 7; STRINGS = 8; TENSORS = 9; GRAPHS = 10;
    SPARSE_TENSORS = 12; TYPE_PROTOS = 14;
  }
  string name = 1;
  string ref_attr_name = 21;
  string doc_string = 13;
  AttributeType type = 20;
  float f = 2;
  int64 i = 3;
  bytes s = 4;
  TensorProto t = 5;
  GraphProto g = 6;
  repeated float floats = 7;
  repeated int64 ints = 8;
  repeated bytes strings = 9;
  repeated TensorProto tensors = 10;
  repeated GraphProto graphs = 11;
}

message ValueInfoProto {
  string name = 1;
  TypeProto type = 2;
  string doc_string = 3;
}

message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  string name = 3;
  string op_type = 4;
  string domain = 7;
  repeated AttributeProto attribute = 5;
  string doc_string = 6;
}

message ModelProto {
  int64 ir_version = 1;
  repeated OperatorSetIdProto opset_import = 8;
  string producer_name = 2;
  string producer_version = 3;
  string domain = 4;
  int64 model_version = 5;
  string doc_string = 6;
  GraphProto graph = 7;
  repeated StringStringEntryProto metadata_props = 14;
}

message StringStringEntryProto {
  string key = 1;
  string value = 2;
}

message GraphProto {
  repeated NodeProto node = 1;
  string name = 2;
  repeated TensorProto initializer = 5;
  string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
  repeated ValueInfoProto value_info = 13;
}

message TensorProto {
  enum DataType {
    UNDEFINED = 0; FLOAT = 1; UINT8 = 2; INT8 = 3; UINT16 = 4; INT16 = 5; INT32 = 6; INT64 = 7;
    STRING = 8; BOOL = 9; FLOAT16 = 10; DOUBLE = 11; UINT32 = 12; UINT64 = 13; COMPLEX64 = 14;
    COMPLEX128 = 15; BFLOAT16 = 16;
  }
  enum DataLocation { DEFAULT = 0; EXTERNAL = 1; }
  repeated int64 dims = 1;
  int32 data_type = 2;
  repeated float float_data = 4;
  repeated int32 int32_data = 5;
  repeated bytes string_data = 6;
  repeated int64 int64_data = 7;
  string name = 8;
  string doc_string = 12;
  bytes raw_data = 9;
  repeated StringStringEntryProto external_data = 13;
  DataLocation data_location = 14;
  repeated double double_data = 10;
  repeated uint64 uint64_data = 11;
}

message TensorShapeProto {
  message Dimension {
    oneof value {
      int64 dim_value = 1;
      string dim_param = 2;
    }
    string denotation = 3;
  }
  repeated Dimension dim = 1;
}

message TypeProto {
  message Tensor {
    int32 elem_type = 1;
    TensorShapeProto shape = 2;
  }
  oneof value {
    Tensor tensor_type = 1;
  }
  string denotation = 6;
}

message OperatorSetIdProto {
  string domain = 1;
  int64 version = 2;
}
`;

/** TensorProto.DataType values used here. */
export const OnnxDataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  BFLOAT16: 16,
} as const;

/** AttributeProto.AttributeType values used here. */
export const OnnxAttributeType = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  FLOATS: 6,
  INTS: 7,
} as const;

// ---- Plain-object views of the messages (the subset of fields we set or read) ----
// int64 fields decode as numbers or Long objects; `toNumber` below handles both.

export type Int64 = number | { toNumber(): number } | { low: number; high: number };

export interface TensorProtoObject {
  name?: string;
  dims?: Int64[];
  dataType?: number;
  rawData?: Uint8Array;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: Int64[];
  doubleData?: number[];
  dataLocation?: number;
  externalData?: { key: string; value: string }[];
}

export interface AttributeProtoObject {
  name: string;
  type: number;
  f?: number;
  i?: Int64;
  s?: Uint8Array;
  t?: TensorProtoObject;
  floats?: number[];
  ints?: Int64[];
}

export interface NodeProtoObject {
  name?: string;
  opType: string;
  domain?: string;
  input: string[];
  output: string[];
  attribute?: AttributeProtoObject[];
}

export interface DimensionObject {
  dimValue?: Int64;
  dimParam?: string;
}

export interface ValueInfoProtoObject {
  name: string;
  type?: { tensorType?: { elemType: number; shape?: { dim?: DimensionObject[] } } };
}

export interface GraphProtoObject {
  name?: string;
  node?: NodeProtoObject[];
  initializer?: TensorProtoObject[];
  input?: ValueInfoProtoObject[];
  output?: ValueInfoProtoObject[];
  valueInfo?: ValueInfoProtoObject[];
  docString?: string;
}

export interface ModelProtoObject {
  irVersion?: Int64;
  opsetImport?: { domain?: string; version: Int64 }[];
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  graph?: GraphProtoObject;
  metadataProps?: { key: string; value: string }[];
}

let modelProtoType: protobuf.Type | null = null;

/** The protobufjs type of onnx.ModelProto, parsed once. */
export function getModelProtoType(): protobuf.Type {
  if (modelProtoType === null) {
    const root = protobuf.parse(ONNX_PROTO3, { keepCase: false }).root;
    modelProtoType = root.lookupType('onnx.ModelProto');
  }
  return modelProtoType;
}

/** Serialize a ModelProto plain object to bytes. */
export function encodeModelProto(model: ModelProtoObject): Uint8Array {
  const type = getModelProtoType();
  return type.encode(type.fromObject(model as Record<string, unknown>)).finish();
}

/**
 * Parse ModelProto bytes. Throws protobufjs's error on malformed bytes (callers wrap it with the
 * file name). The result keeps int64 fields as Long objects; use `toNumber`.
 */
export function decodeModelProto(bytes: Uint8Array): ModelProtoObject {
  const type = getModelProtoType();
  return type.decode(bytes) as unknown as ModelProtoObject;
}

/** int64 field value (number, Long or {low, high}) as a JS number (exact below 2^53). */
export function toNumber(value: Int64 | undefined | null): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return value;
  if ('toNumber' in value) return value.toNumber();
  return value.high * 4294967296 + (value.low >>> 0);
}
