"""An argparse parser whose usage errors are one line on stderr and exit code 2, like every other
input error of the review commands."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

EXIT_INPUT_ERROR = 2


class OneLineErrorParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: {message} (see --help)", file=sys.stderr)
        raise SystemExit(EXIT_INPUT_ERROR)
