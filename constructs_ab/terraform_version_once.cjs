// Loaded by constructs_ab/jsii_runtime.cjs into the jsii kernel's process. cdktf validates every
// `terraform_data` resource (our listeners' rule anchors) at synth by running `terraform version`
// (cdktf's ValidateTerraformVersion: the built-in resource needs Terraform 1.4): one Terraform start, about
// 50 ms, per anchor. The answer cannot change within one synth, so the first successful answer is kept
// and given to the later calls; a call that fails is not kept (the next one runs the command again).
// Any other command runs as usual.
"use strict";
const childProcess = require("child_process");

const command = `${process.env.TERRAFORM_BINARY_NAME || "terraform"} version`;
const execSync = childProcess.execSync;
const answers = new Map();

childProcess.execSync = function execSyncOnce(file, options) {
  if (file !== command) {
    return execSync.apply(this, arguments);
  }
  const key = JSON.stringify(options === undefined ? null : options);
  if (!answers.has(key)) {
    answers.set(key, execSync.apply(this, arguments));
  }
  const answer = answers.get(key);
  return Buffer.isBuffer(answer) ? Buffer.from(answer) : answer;
};
