// Preloaded into the jsii runtime's Node.js process (NODE_OPTIONS=--require, set by
// constructs_ab/node_lazy_index.py). The AWS provider package's lib/index.js is a list of
// `exports.<name> = require("./<module>");` for its ~2,200 resource modules, which the jsii kernel
// requires when the assembly is loaded: about 2 s of CPU and 450 MB, most of a synth. This hook
// compiles that one file with each line turned into a lazy getter, so a module is required only when
// a type in it is first used. Nothing on disk is changed; any other file loads as usual.
"use strict";
const Module = require("module");
const fs = require("fs");

const PROVIDER_INDEX = /[\\/]@cdktf[\\/]provider-aws[\\/](?:.*[\\/])?lib[\\/]index\.js$/;
const EAGER_EXPORT = /^exports\.([A-Za-z_$][\w$]*) = require\(("\.\/[^"]+")\);$/gm;
const loadJs = Module._extensions[".js"];

Module._extensions[".js"] = function loadWithLazyProviderIndex(module, filename) {
  if (!PROVIDER_INDEX.test(filename)) {
    return loadJs(module, filename);
  }
  const source = fs.readFileSync(filename, "utf8");
  const lazy = source.replace(
    EAGER_EXPORT,
    (_, name, target) =>
      `Object.defineProperty(exports, ${JSON.stringify(name)}, ` +
      `{ enumerable: true, configurable: true, get: () => require(${target}) });`,
  );
  return module._compile(lazy, filename);
};
