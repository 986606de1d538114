"""Compile the optimized bytecode (`python -O`, `*.opt-1.pyc`) that `make synth` and `make gate` run.

`make` runs the app with `python -O`: the generated AWS provider bindings then skip their per-argument
runtime type checks (`if __debug__:` blocks; the tests run without -O and keep them), which saves about a
fifth of a large synth. pip compiles only the plain bytecode, and where PYTHONDONTWRITEBYTECODE is set
Python never writes the optimized one, so without this step every `-O` run would compile again.

Compiles every installed package except the AWS provider bindings, of which only the submodules that
`constructs_ab/provider.py` imports are compiled (the package has ~2,200). Run by `make install` after
`pipenv sync`; takes about 15 s once.

`--project` compiles only this repository's own packages (`constructs_ab`, `policies`): `make synth` and
`make gate` run it when one of their files changed since the last time (a stamp in `.cache/ab-models/`),
since with PYTHONDONTWRITEBYTECODE set each run would otherwise compile the ~150 modules a gate imports
(about 0.2 s of CPU, half of it before the synth starts). Files that did not change are not rewritten.
"""

from __future__ import annotations

import ast
import compileall
import sys
import sysconfig
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
PROVIDER_PACKAGE = "cdktf_cdktf_provider_aws"
#: This repository's packages that `python -O main.py` imports.
PROJECT_PACKAGES = ("constructs_ab", "policies")


def provider_submodules_used() -> list[str]:
    """Submodules of the provider package that constructs_ab/provider.py imports, plus its `_jsii`."""
    tree = ast.parse((REPOSITORY / "constructs_ab" / "provider.py").read_text())
    names = {
        node.module.split(".")[1]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(f"{PROVIDER_PACKAGE}.")
    }
    return sorted(names | {"_jsii"})


def compile_project() -> bool:
    """This repository's own packages (only the files whose bytecode is missing or stale)."""
    results = [compileall.compile_dir(REPOSITORY / name, quiet=1, optimize=1) for name in PROJECT_PACKAGES]
    return all(results)


def main(argv: list[str]) -> int:
    if argv == ["--project"]:
        return 0 if compile_project() else 1
    if argv:
        print(f"usage: {Path(__file__).name} [--project]", file=sys.stderr)
        return 2
    site_packages = Path(sysconfig.get_paths()["purelib"])
    provider = site_packages / PROVIDER_PACKAGE
    ok = True
    for entry in sorted(site_packages.iterdir()):
        if entry == provider:
            continue
        if entry.is_dir():
            ok &= bool(compileall.compile_dir(entry, quiet=1, optimize=1, workers=0))
        elif entry.suffix == ".py":
            ok &= bool(compileall.compile_file(entry, quiet=1, optimize=1))
    for name in provider_submodules_used():
        ok &= bool(compileall.compile_dir(provider / name, quiet=1, optimize=1, workers=0))
    ok &= compile_project()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
