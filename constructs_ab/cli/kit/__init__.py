"""The command-line kit every command is built on, one concept per module (no cdktf, no other layer):

- `exit_codes`: `ExitCode` (0 ok, 1 failed or findings, 2 bad usage or input, 130 interrupted, 143
  SIGTERM), each with its `meaning`;
- `output_format`: `OutputFormat` (text, markdown, json; the gate's cli, json, sarif, junit) and
  `add_format_option(parser, allowed=...)`, each command offering its own subset;
- `parser`: `CommandParser`, whose usage errors are one line `<prog>: <message> (see --help)` and exit 2,
  `terraform_reader_parser` (the `PATH ...` and `--format` of gate and report)
  and `prog_of(command, prog)`;
- `entry`: `run_command(command, body)` (exit codes from SystemExit, Ctrl-C and SIGTERM) and
  `fail(command, problems)` (one `<command>: <problem>` line each);
- `termination`: `sigterm_as_ctrl_c()` (SIGTERM raises KeyboardInterrupt, once, in the main thread) and
  `sigterm_default()` for forked children;
- `signal_handlers`: `handlers_installed(handlers)` (signal handlers for the length of a block, the previous
  ones put back);
- `atomic_write`: `write_atomically(path, data)` (same-directory temporary file, fsync, mode and owner
  kept, symbolic links followed, nothing left behind on error);
- `did_you_mean`: `closest(word, choices)` and `did_you_mean(word, choices)`.

Import the module you need (`from constructs_ab.cli.kit.exit_codes import ExitCode`): this package's
`__init__` imports nothing, so the spec layer can use `did_you_mean` without loading argparse.
"""
