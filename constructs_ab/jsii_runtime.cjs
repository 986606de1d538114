// The jsii runtime as one Node.js process: JSII_RUNTIME, set by constructs_ab/jsii_runtime.py (see there
// why). jsii's own entry, bin/jsii-runtime.js, spawns the kernel (lib/program.js) as a second process and
// relays: Python's stdin to the kernel's file descriptor 3, the kernel's descriptor 3 to Python's stdout,
// and the kernel's stdout and stderr to its own stderr as lines {"stdout"|"stderr": <base64>}, which
// jsii's Python side decodes. This script runs the kernel of the installed jsii package
// ($AB_JSII_KERNEL) here instead, with the same streams: the kernel reads the API from stdin and writes
// it to stdout, and anything written to process.stdout or process.stderr goes to stderr as those lines.
"use strict";
const fs = require("fs");
const Module = require("module");
const { Writable } = require("stream");

// The kernel's text this replaces, each exactly once (constructs_ab/jsii_runtime.py checks the same).
const REPLACEMENTS = [
  ["readFD:3,writeFD:3", "readFD:0,writeFD:1"],
  ['(__dirname,"runtime-index-worker.js")', '(__dirname,"lib__runtime-index-worker.js")'],
];

const kernel = fs.realpathSync(process.env.AB_JSII_KERNEL);

function consoleStream(key) {
  return new Writable({
    write(chunk, encoding, callback) {
      const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding);
      fs.writeSync(2, `${JSON.stringify({ [key]: data.toString("base64") })}\n`);
      callback();
    },
  });
}
// Replaced before anything uses them, so Node never opens its own streams on descriptors 1 and 2.
for (const key of ["stdout", "stderr"]) {
  Object.defineProperty(process, key, {
    value: consoleStream(key),
    configurable: true,
    enumerable: true,
    writable: false,
  });
}
// The relay started the kernel with --preserve-symlinks (NODE_PRESERVE_SYMLINKS=1 here); the kernel reads
// it from execArgv to link, rather than copy, the package folders it loads.
if (!process.execArgv.includes("--preserve-symlinks")) {
  process.execArgv.push("--preserve-symlinks");
}

require("./terraform_version_once.cjs");

const loadJs = Module._extensions[".js"];
Module._extensions[".js"] = function loadKernel(module, filename) {
  if (filename !== kernel && fs.realpathSync(filename) !== kernel) {
    return loadJs(module, filename);
  }
  let source = fs.readFileSync(filename, "utf8");
  for (const [from, to] of REPLACEMENTS) {
    const parts = source.split(from);
    if (parts.length !== 2) {
      throw new Error(`${filename}: not the jsii kernel this runtime expects (${from})`);
    }
    source = parts.join(to);
  }
  return module._compile(source, filename);
};
require(kernel);
