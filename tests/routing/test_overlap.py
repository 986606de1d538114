"""Shadowing and overlap of listener rules, as the load balancer matches requests: tables of exact and
wildcard paths, hosts, headers, query strings, methods and source IPs, and properties against brute-force
matching (`Condition.matches`) of generated requests.

- Sets of wildcard patterns (`wildcard_sets`): exact, checked against every short text.
- `covers(earlier, later)`: never claims shadowing wrongly (no request matches `later` but not
  `earlier`), and finds it where a brute-force search shows no such request.
- `shared_request(a, b)`: its request matches both; it finds one whenever brute force does.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from constructs_ab.routing.conditions import Condition, QueryPair
from constructs_ab.routing.overlap import candidate_pairs, covers, matches_all, shared_request
from constructs_ab.routing.request import Request
from constructs_ab.routing.wildcard import wildcard_match
from constructs_ab.routing.wildcard_sets import find_text, included

P = Condition.path_patterns
H = Condition.host_headers
M = Condition.http_request_methods
S = Condition.source_ips


def X(*values: str) -> Condition:  # noqa: N802
    return Condition.http_header("X-Client", *values)


def Q(*pairs: tuple[str | None, str]) -> Condition:  # noqa: N802
    return Condition.query_strings(*(QueryPair(key=k, value=v) for k, v in pairs))


# (earlier, later, covers): does the earlier rule take every request of the later one?
COVERS: list[tuple[list[Condition], list[Condition], bool]] = [
    # paths: exact, wildcard, case-sensitive, ? is one character
    ([P("/v1/*")], [P("/v1/embeddings")], True),
    ([P("/v1/embeddings")], [P("/v1/*")], False),
    ([P("/v1/*")], [P("/v1/chat/*", "/v1/embeddings")], True),
    ([P("/v1/*")], [P("/v1/chat/*", "/v2/embeddings")], False),
    ([P("/V1/*")], [P("/v1/x")], False),
    ([P("/v?/x")], [P("/v1/x", "/v2/x")], True),
    ([P("/v?/x")], [P("/v10/x")], False),
    ([P("/a*b*c")], [P("/a*c*b*c")], True),
    ([P("/abtest", "/abtest/*")], [P("/abtest*")], False),
    ([P("*")], [H("api.example.com")], True),  # any path
    ([P("/*")], [M("POST")], True),  # every path starts with /
    ([P("/x/*")], [M("POST")], False),  # the later rule takes every path
    # hosts: case-insensitive, wildcards
    ([H("*.Example.com")], [H("api.example.com")], True),
    ([H("api.example.com")], [H("API.EXAMPLE.COM")], True),
    ([H("*.example.com")], [H("example.com")], False),
    ([H("api.example.com")], [P("/v1/*")], False),  # a request without that host
    # headers: names and values case-insensitive; a request may send a header twice
    ([X("beta*")], [X("BETA-2")], True),
    ([Condition.http_header("x-client", "beta")], [X("beta")], True),
    ([X("beta")], [Condition.http_header("X-Other", "beta")], False),
    ([X("a*")], [X("a*"), X("*b")], True),
    ([X("a*b")], [X("a*"), X("*b")], False),  # X: ax and X: yb meet the later rule, not the earlier
    ([X("beta")], [P("/v1/*")], False),
    # methods: exact, case-sensitive
    ([M("POST", "PUT")], [M("POST")], True),
    ([M("POST")], [M("POST", "GET")], False),
    ([M("post")], [M("POST")], False),
    # source IPs: nested blocks, unions, IPv6
    ([S("10.0.0.0/8")], [S("10.1.0.0/16")], True),
    ([S("10.1.0.0/16")], [S("10.0.0.0/8")], False),
    ([S("10.0.0.0/9", "10.128.0.0/9")], [S("10.0.0.0/8")], True),
    ([S("10.0.0.0/9")], [S("10.0.0.0/8")], False),
    ([S("2001:db8::/32")], [S("2001:db8:1::/48")], True),
    ([S("10.0.0.0/8")], [S("2001:db8::/32")], False),
    # query strings: keys and values case-insensitive; a pair without key matches any key
    ([Q(("v", "b*"))], [Q(("V", "beta"))], True),
    ([Q((None, "beta"))], [Q(("v", "beta"))], True),
    ([Q(("v", "beta"))], [Q((None, "beta"))], False),
    ([Q(("v", "a"), ("v", "b"))], [Q(("v", "a"))], True),
    # several kinds: every condition of the earlier rule must hold
    ([P("/v1/*"), M("POST")], [P("/v1/chat"), M("POST"), H("api.example.com")], True),
    ([P("/v1/*"), M("POST")], [P("/v1/chat"), H("api.example.com")], False),
    ([], [P("/anything")], True),  # a rule without conditions takes everything
]


@pytest.mark.parametrize(("earlier", "later", "expected"), COVERS)
def test_covers(earlier: list[Condition], later: list[Condition], expected: bool) -> None:
    assert covers(earlier, later) is expected


def test_the_issue_s_example_v1_before_v1_embeddings() -> None:
    # GIVEN /v1/* at priority 3700 and /v1/embeddings at 9572: the later never gets a request
    assert covers([P("/v1/*")], [P("/v1/embeddings")])
    request = shared_request([P("/v1/*")], [P("/v1/embeddings")])
    assert request is not None and request.path == "/v1/embeddings"


# (a, b, shared): is there a request (each header and query key once) that both rules match?
SHARED: list[tuple[list[Condition], list[Condition], bool]] = [
    ([P("/v1/*"), X("beta")], [P("/v1/embeddings")], True),
    ([P("/a/*")], [P("/b/*")], False),
    ([P("/a*")], [P("*b")], True),
    ([H("*.example.com")], [H("api.*")], True),
    ([H("a.example.com")], [H("b.example.com")], False),
    ([X("beta")], [X("alpha")], False),  # only a request that sends X-Client twice would match both
    ([X("b*")], [X("*a")], True),
    ([M("POST")], [M("GET")], False),
    ([M("POST", "GET")], [M("GET")], True),
    ([S("10.0.0.0/8")], [S("10.1.2.0/24")], True),
    ([S("10.0.0.0/16")], [S("10.1.0.0/16")], False),
    ([Q(("v", "a"))], [Q(("v", "b"))], False),
    ([Q(("v", "a"))], [Q(("w", "b"))], True),
    ([Q((None, "a*"))], [Q(("w", "*b"))], True),
]


@pytest.mark.parametrize(("a", "b", "expected"), SHARED)
def test_shared_request(a: list[Condition], b: list[Condition], expected: bool) -> None:
    request = shared_request(a, b)
    assert (request is not None) is expected
    if request is not None:
        assert matches_all(a, request) and matches_all(b, request)


def test_a_shared_request_is_concrete() -> None:
    request = shared_request(
        [P("/v1/*"), H("*.example.com"), M("POST"), X("beta*"), Q(("v", "2"))],
        [P("*/chat"), S("10.0.0.0/8")],
    )
    assert request == Request(
        method="POST",
        path="/v1/chat",
        host="a.example.com",
        headers=(("X-Client", "beta"),),
        query=(("v", "2"),),
        source_ip="10.0.0.0",
    )


# --- wildcard sets against brute force -----------------------------------------------------------

TEXTS = ["".join(t) for n in range(6) for t in itertools.product("ab/c", repeat=n)]
PATTERN = st.text("ab/*?", max_size=4)


def _in(union: Sequence[str], text: str) -> bool:
    return any(wildcard_match(p, text, case_sensitive=True) for p in union)


@settings(max_examples=300)
@given(
    st.lists(st.lists(PATTERN, min_size=1, max_size=2), min_size=1, max_size=2), st.lists(PATTERN, max_size=2)
)
def test_find_text_is_exact(required: list[list[str]], excluded: list[str]) -> None:
    found = find_text(required, excluded, case_sensitive=True)
    assert found.known

    def wanted(text: str) -> bool:
        return all(_in(union, text) for union in required) and not _in(excluded, text)

    if found.text is not None:
        assert wanted(found.text)
    else:  # nothing exists: in particular no short text
        assert not any(wanted(text) for text in TEXTS)
    assert included(required, excluded, case_sensitive=True) is (found.text is None)


# --- covers and shared_request against brute force -----------------------------------------------

CIDRS = ["10.0.0.0/8", "10.0.0.0/16", "10.1.0.0/16", "0.0.0.0/0", "2001:db8::/32"]
WILD = st.text("ab*?", max_size=3)


def conditions() -> st.SearchStrategy[list[Condition]]:
    one = st.one_of(
        st.lists(st.text("ab/*?", max_size=3).map(lambda p: "/" + p), min_size=1, max_size=2).map(
            lambda v: P(*v)
        ),
        st.lists(WILD.map(lambda p: p + ".x"), min_size=1, max_size=2).map(lambda v: H(*v)),
        st.lists(st.sampled_from(["GET", "POST"]), min_size=1, max_size=2, unique=True).map(lambda v: M(*v)),
        st.lists(st.sampled_from(CIDRS), min_size=1, max_size=2, unique=True).map(lambda v: S(*v)),
        st.lists(WILD, min_size=1, max_size=2).map(lambda v: X(*v)),
        st.lists(st.tuples(st.sampled_from([None, "k", "j", "K"]), WILD), min_size=1, max_size=2).map(
            lambda v: Q(*v)
        ),
    )
    return st.lists(one, min_size=1, max_size=3)


# A request's fields are independent, so each question is answered by brute force field by field (for a
# header name, or the query string: value by value). Per field, every value over a slightly larger
# alphabet than the patterns use (c stands for any other character), long enough to hold the shortest
# counterexample of patterns this short.
PATH_VALUES = ["/" + "".join(t) for n in range(5) for t in itertools.product("ab/c", repeat=n)]
HOST_VALUES = ["".join(t) + ".x" for n in range(5) for t in itertools.product("abc", repeat=n)]
TEXT_VALUES = ["".join(t) for n in range(6) for t in itertools.product("abc", repeat=n)]
IP_VALUES = ["10.0.0.1", "10.1.0.1", "10.0.1.1", "10.200.0.1", "192.168.0.1", "2001:db8::1", "2001:db9::1"]
#: Kinds a request may carry several of (headers of one name, query pairs): each condition on them can be
#: met by a header or pair of its own.
REPEATABLE = ("http-header", "query-string")


def _values(condition: Condition) -> list[Request]:
    """Requests that differ only in the field `condition` looks at, one per value of that field."""
    kind = condition.field.value
    if kind == "path-pattern":
        return [Request(path=v) for v in PATH_VALUES]
    if kind == "host-header":
        return [Request(host=v) for v in [None, *HOST_VALUES]]
    if kind == "http-request-method":
        return [Request(method=v) for v in ("GET", "POST", "PUT")]
    if kind == "source-ip":
        return [Request(source_ip=v) for v in [None, *IP_VALUES]]
    if kind == "query-string":
        return [Request(query=((k, v),)) for k in ("k", "j", "c") for v in TEXT_VALUES]
    return [Request(headers=((condition.header_name or "", v),)) for v in TEXT_VALUES]


def _same_field(condition: Condition, others: list[Condition]) -> list[Condition]:
    """The conditions among `others` on the field `condition` looks at (a header: by name)."""
    name = (condition.header_name or "").lower()
    return [c for c in others if c.field is condition.field and (c.header_name or "").lower() == name]


def _counterexample_exists(earlier: Condition, later: list[Condition]) -> bool:
    """Some request meets every condition of `later` (assumed satisfiable) but not `earlier`."""
    same = _same_field(earlier, later)
    if earlier.field.value in REPEATABLE:
        # each later condition on this field needs a header or pair of its own that `earlier` does not admit
        return all(any(c.matches(r) and not earlier.matches(r) for r in _values(c)) for c in same)
    return any(all(c.matches(r) for c in same) and not earlier.matches(r) for r in _values(earlier))


def _satisfiable(later: list[Condition]) -> bool:
    for condition in later:
        if condition.field.value in REPEATABLE:
            if not any(condition.matches(r) for r in _values(condition)):
                return False
        elif not any(all(c.matches(r) for c in _same_field(condition, later)) for r in _values(condition)):
            return False
    return True


def _shared_exists(a: list[Condition], b: list[Condition]) -> bool:
    """A request that sends each header once meets every condition of `a` and `b`."""
    both = [*a, *b]
    return all(
        any(all(c.matches(r) for c in _same_field(condition, both)) for r in _values(condition))
        for condition in both
    )


@settings(max_examples=300)
@given(conditions(), conditions())
def test_covers_never_claims_wrongly(earlier: list[Condition], later: list[Condition]) -> None:
    if covers(earlier, later) and _satisfiable(later):
        assert not any(_counterexample_exists(condition, later) for condition in earlier)


@settings(max_examples=300)
@given(conditions(), conditions())
def test_covers_is_exact_but_for_query_strings(earlier: list[Condition], later: list[Condition]) -> None:
    if any(c.query for c in (*earlier, *later)) or not _satisfiable(later):
        return  # query pairs are compared cautiously; a later rule that matches nothing is covered trivially
    expected = not any(_counterexample_exists(condition, later) for condition in earlier)
    assert covers(earlier, later) is expected


@settings(max_examples=300)
@given(conditions(), conditions())
def test_shared_request_finds_what_brute_force_finds(a: list[Condition], b: list[Condition]) -> None:
    found = shared_request(a, b)
    if found is not None:
        assert matches_all(a, found) and matches_all(b, found)
    elif not any(c.query for c in (*a, *b)):
        assert not _shared_exists(a, b)


@settings(max_examples=300)
@given(st.lists(conditions(), min_size=2, max_size=6))
def test_candidate_pairs_hold_every_pair_that_shares_a_request(rules: list[list[Condition]]) -> None:
    pairs = candidate_pairs(rules)
    for i, j in itertools.combinations(range(len(rules)), 2):
        a, b = rules[i], rules[j]
        if shared_request(a, b) is not None or (covers(a, b) and shared_request(b, b) is not None):
            assert (i, j) in pairs


def test_candidate_pairs_skip_rules_on_distinct_paths() -> None:
    rules = [[P(f"/x{n}", f"/x{n}/*")] for n in range(200)]
    rules.append([H("api.example.com")])  # no path: compared with every rule
    pairs = candidate_pairs(rules)
    assert pairs == {(n, 200) for n in range(200)}
