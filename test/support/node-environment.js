// Jest runs each test file in its own VM context with its own typed-array constructors, but
// native addons (onnxruntime-node, which runs the offline embedding model) create arrays in the
// main realm and check them with `instanceof` against the context's. Giving the context the main
// realm's constructors makes the two agree.
const { TestEnvironment } = require("jest-environment-node");

const SHARED = [
  "ArrayBuffer",
  "SharedArrayBuffer",
  "DataView",
  "Int8Array",
  "Uint8Array",
  "Uint8ClampedArray",
  "Int16Array",
  "Uint16Array",
  "Int32Array",
  "Uint32Array",
  "Float32Array",
  "Float64Array",
  "BigInt64Array",
  "BigUint64Array",
];

class NodeEnvironmentSharingTypedArrays extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = NodeEnvironmentSharingTypedArrays;
