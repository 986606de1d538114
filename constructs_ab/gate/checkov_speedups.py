"""Speedups for Checkov's Terraform graph builder, each answering exactly what Checkov itself answers.

Import this module only after `quiet.prepare_environment()` (it imports Checkov). `install()` applies all
of them (once per process) before the gate runs Checkov; `uninstall()` restores Checkov's own functions
(the tests compare the two). Plain `checkov` runs are not affected. Each is measured on the bench's
100-experiment stack (3,500 resources) and on the example; tests/gate/test_checkov_speedups.py compares
each against Checkov's own function, and tests/gate/test_equal_findings.py compares the whole gate's
findings against unpatched Checkov's.

1. Indexed vertex lookup. `LocalGraph._get_possible_vertices` (Checkov 3.3) resolves each reference of each
   block to the vertices it may point to. When the name is not in its map, which is the common case (every
   reference is tried against several block types), it falls back to scanning every vertex name of that
   block type for `<name>[` (resources with `count`/`for_each` whose index was stripped). Over a stack of
   3,500 resources that scan is most of the graph build: tens of millions of `str.startswith` calls. The
   replacement answers the fallback from a prefix index built once per block map (the first name, in map
   order, that starts with `<name>[`: exactly what the scan returns).

2. Memoized rendering of strings. After the edges are rendered, Checkov evaluates every string of every
   attribute (`evaluate_terraform`: up to four `asteval` evaluations and a dozen regular expressions
   each), and a large stack repeats the same strings thousands of times: the same `${aws_lb.x.arn_suffix}`
   in 400 alarm dimensions. The memo answers a string seen before with the result computed for it, under
   conditions that make it the same answer:
   - only string inputs whose result is immutable (str, int, float, bool, None) are remembered, so no two
     attributes share a list or dict that Checkov later changes in place;
   - the evaluator's symbol table is the only state an evaluation reads, and only an assignment changes it
     (`a = 1`, `f.x = 1`, `(a := 1)`; `del`, `import`, loops and function definitions are disabled in
     Checkov's evaluator, and dunder attributes are refused): a string with `=` in it is never remembered
     and empties the memo once evaluated, and so does any evaluation after which a name of the symbol
     table is bound to another object;
   - strings that call a function whose answer is not a function of the string (`timestamp()`) or that
     writes output (`print`) are always evaluated.

3. One `asteval` interpreter reused. Checkov's `safe_eval_functions.evaluate` builds a new `Interpreter`
   for every evaluation (half of its cost: a copy of the configuration and a table of 150 node handlers).
   The replacement hands out interpreters from a pool (a nested evaluation, through Terraform's `try`, gets
   its own), each reset before use to the state a new one starts in (error list, interrupt, return value,
   call depth, line, expression, code text, start time). The symbol table is the same shared dict either
   way.

4. Not a patch: the gate runs Checkov with the cyclic garbage collector paused (`collector.py`).

Measured on the 100-experiment stack (CPU seconds of the Checkov run, median of three alternating runs on
this 2-core machine, which other work shared): 15.7 unpatched; 12.6 with the indexed lookup; 8.2 adding
the memo and the pool (the rendering of non-rendered values fell from 6.8 s to 0.9 s); 7.5 with the
collector off too. Two more were measured and left out, since they saved nothing measurable once the
collector was off: a pickle-free copy of strings and flat lists in the renderer, and a shallow copy where
`Module._add_resource` only reads the keys.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import checkov.terraform.graph_builder.variable_rendering.evaluate_terraform as evaluate_terraform_module
import checkov.terraform.graph_builder.variable_rendering.safe_eval_functions as safe_eval_module
from checkov.terraform.graph_builder.local_graph import TerraformLocalGraph
from checkov.terraform.graph_builder.variable_rendering.renderer import (
    LEFT_BRACKET,
    LEFT_BRACKET_WITH_QUOTATION,
    RIGHT_BRACKET,
    RIGHT_BRACKET_WITH_QUOTATION,
)

_ORIGINAL = "_ab_original_get_possible_vertices"

# ---- 1. indexed vertex lookup --------------------------------------------------------------------------


def first_match_by_bracket_prefix(block_map: Mapping[str, list[int]]) -> dict[str, list[int]]:
    """For every `<prefix>[` that starts a name in `block_map`, the indices of the first such name."""
    index: dict[str, list[int]] = {}
    for key, indices in block_map.items():
        position = key.find("[")
        while position != -1:
            index.setdefault(key[:position], indices)
            position = key.find("[", position + 1)
    return index


def indexed_get_possible_vertices(self: Any, module_key: Any, block_type: str, name: str) -> list[int]:
    """Checkov's lookup, with the `<name>[` fallback answered from a cached prefix index."""
    block_map = self.vertices_by_module_dependency_by_name.get(module_key, {}).get(block_type, {})
    possible = block_map.get(name, [])
    if possible:
        return possible  # type: ignore[no-any-return]
    bracketed = name.replace(LEFT_BRACKET_WITH_QUOTATION, LEFT_BRACKET).replace(
        RIGHT_BRACKET_WITH_QUOTATION, RIGHT_BRACKET
    )
    possible = block_map.get(bracketed, [])
    if possible:
        return possible  # type: ignore[no-any-return]
    cache: dict[int, tuple[int, dict[str, list[int]]]] = self.__dict__.setdefault("_ab_prefix_index", {})
    cached = cache.get(id(block_map))
    if cached is None or cached[0] != len(block_map):
        cached = (len(block_map), first_match_by_bracket_prefix(block_map))
        cache[id(block_map)] = cached
    return cached[1].get(name, [])


# ---- 2. memoized rendering of strings ------------------------------------------------------------------

#: Results that cannot be changed in place, so one object may be handed to several attributes.
_IMMUTABLE_RESULTS = (str, int, float, bool, type(None))
#: Substrings that make a string's evaluation depend on more than the string (time) or write output.
_NOT_REMEMBERED = ("timestamp", "print")
#: The memo is emptied when it holds this many strings (a bound on memory for very large inputs).
MEMO_LIMIT = 200_000


class RenderMemo:
    """`evaluate_terraform(value, keep_interpolations)` remembered per string (see the module docstring)."""

    def __init__(self, evaluate: Callable[..., Any], symbols: dict[str, Any]) -> None:
        self._evaluate = evaluate
        self._symbols = symbols
        self._results: dict[tuple[str, bool], Any] = {}
        self.hits = 0
        self.misses = 0

    def clear(self) -> None:
        self._results.clear()

    def __call__(self, input_str: Any, keep_interpolations: bool = True) -> Any:
        if type(input_str) is not str:
            return self._evaluate(input_str, keep_interpolations)
        key = (input_str, bool(keep_interpolations))
        try:
            result = self._results[key]
        except KeyError:
            pass
        else:
            self.hits += 1
            return result
        self.misses += 1
        before = self._symbol_snapshot()
        result = self._evaluate(input_str, keep_interpolations)
        if "=" in input_str or self._symbol_snapshot() != before:
            self._results.clear()  # it may have changed a symbol: what was remembered may no longer hold
        elif type(result) in _IMMUTABLE_RESULTS and not any(word in input_str for word in _NOT_REMEMBERED):
            if len(self._results) >= MEMO_LIMIT:
                self._results.clear()
            self._results[key] = result
        return result

    def _symbol_snapshot(self) -> list[tuple[str, int]]:
        # `print` is rebound to its printer by every new interpreter; strings that print are not remembered.
        return [(name, id(value)) for name, value in self._symbols.items() if name != "print"]


# ---- 3. one asteval interpreter reused -----------------------------------------------------------------


class InterpreterPool:
    """Checkov's `get_asteval()`, with interpreters reused instead of built for every evaluation.

    Per thread: the idle interpreters, and the stack of those lent to evaluations in progress (a nested
    evaluation, through Terraform's `try`, gets its own). `lend()` returns an idle one (or a new one, built
    by Checkov's own function), reset to a new interpreter's state, and `current()` answers `get_asteval()`
    inside that evaluation; `give_back()` returns it.
    """

    def __init__(self, build: Callable[[], Any]) -> None:
        self._build = build
        self._local = threading.local()

    def _lists(self) -> tuple[list[Any], list[Any]]:
        local = self._local.__dict__
        if "idle" not in local:
            local["idle"], local["lent"] = [], []
        return local["idle"], local["lent"]

    def lend(self) -> Any:
        idle, lent = self._lists()
        interpreter = idle.pop() if idle else self._build()
        reset_interpreter(interpreter)
        lent.append(interpreter)
        return interpreter

    def current(self) -> Any:
        """The interpreter of the innermost evaluation in progress, else a new one (Checkov's own)."""
        _, lent = self._lists()
        return lent[-1] if lent else self._build()

    def give_back(self) -> None:
        idle, lent = self._lists()
        idle.append(lent.pop())


def reset_interpreter(interpreter: Any) -> None:
    """Set what an evaluation changes back to what `asteval.Interpreter.__init__` sets (asteval 1.0)."""
    interpreter.error = []
    interpreter.error_msg = None
    interpreter.expr = None
    interpreter.retval = None
    interpreter._interrupt = None
    interpreter._calldepth = 0
    interpreter.lineno = 0
    interpreter.code_text = []
    interpreter.start_time = time.time()


def pooled_evaluate(input_str: str) -> Any:
    """Checkov's `safe_eval_functions.evaluate`, with an interpreter lent from the pool: every caller of
    `evaluate` is patched to call this, and `get_asteval()` answers the lent interpreter."""
    pool = _state.pool
    assert pool is not None
    pool.lend()
    try:
        return _state.original_evaluate(input_str)
    finally:
        pool.give_back()


def _pooled_get_asteval() -> Any:
    assert _state.pool is not None
    return _state.pool.current()


# ---- install / uninstall -------------------------------------------------------------------------------


class _State:
    def __init__(self) -> None:
        self.installed = False
        self.memo: RenderMemo | None = None
        self.pool: InterpreterPool | None = None
        self.original_evaluate: Callable[[str], Any] = safe_eval_module.evaluate
        self.original_get_asteval: Callable[[], Any] = safe_eval_module.get_asteval
        self.original_evaluate_terraform: Callable[..., Any] = evaluate_terraform_module.evaluate_terraform


_state = _State()


def install() -> None:
    """Apply the speedups (once per process; again after `uninstall()`)."""
    if not hasattr(TerraformLocalGraph, _ORIGINAL):
        setattr(TerraformLocalGraph, _ORIGINAL, TerraformLocalGraph._get_possible_vertices)
    if _state.installed:
        return
    # Monkeypatches of Checkov's functions; each replacement takes the same arguments.
    setattr(TerraformLocalGraph, "_get_possible_vertices", indexed_get_possible_vertices)
    _state.memo = RenderMemo(_state.original_evaluate_terraform, safe_eval_module.SAFE_EVAL_DICT)
    setattr(evaluate_terraform_module, "evaluate_terraform", _state.memo)
    _state.pool = InterpreterPool(_state.original_get_asteval)
    setattr(safe_eval_module, "get_asteval", _pooled_get_asteval)
    setattr(safe_eval_module, "evaluate", pooled_evaluate)
    setattr(evaluate_terraform_module, "evaluate", pooled_evaluate)  # imported by name there
    _state.installed = True


def uninstall() -> None:
    """Restore Checkov's own functions (for tests that compare them)."""
    original_lookup = getattr(TerraformLocalGraph, _ORIGINAL, TerraformLocalGraph._get_possible_vertices)
    setattr(TerraformLocalGraph, "_get_possible_vertices", original_lookup)
    setattr(evaluate_terraform_module, "evaluate_terraform", _state.original_evaluate_terraform)
    setattr(safe_eval_module, "get_asteval", _state.original_get_asteval)
    setattr(safe_eval_module, "evaluate", _state.original_evaluate)
    setattr(evaluate_terraform_module, "evaluate", _state.original_evaluate)
    _state.installed = False


def new_run() -> None:
    """Forget what the memo remembered (each gate run starts with an empty memo)."""
    if _state.memo is not None:
        _state.memo.clear()
