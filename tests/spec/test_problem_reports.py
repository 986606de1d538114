"""How problems are reported: all at once, with lines, in the documented one-line format."""

from __future__ import annotations

from pathlib import Path

import pytest

from constructs_ab.spec import Problem, SpecError, load_spec, parse_spec

from .spec_builders import EXP, base_spec, changed, dump

BROKEN = """\
version: 1
environments:
  prod:
    region: eu-west-1
    vpc_id: vpc-0a1b2c3d4e5f67890
    subnet_ids: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
    certificate_arn: arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555
    allowed_client_cidrs: [10.0.0.0/8]
    owner: ml-platform
    load_balancers:
      public:
        idle_timout: 300
    experiments:
      - name: sentiment-abtest
        load_balancer: public
        match: {paths: [/abtest]}
        variants:
          - name: sentiment-a
            model: {id: sentiment, version: "1.4.2"}
            weight: 80
          - name: sentiment-b
            model: sentiment:2.0.0
            weight: 1000
"""


def _error(text: str, source: str = "examples/x.yaml") -> SpecError:
    with pytest.raises(SpecError) as caught:
        parse_spec(text, source=source)
    return caught.value


def test_every_problem_is_reported_at_once_with_its_line() -> None:
    error = _error(BROKEN)
    assert error.problems == (
        Problem(
            path="environments.prod.load_balancers.public.idle_timout",
            message='"idle_timout" is not a known key; did you mean "idle_timeout"? A load balancer has the keys '
            "internal, idle_timeout, access_logs, waf, deletion_protection, max_rules, default_action, ssl_policy, "
            "model_server_egress, certificate_arn, extra_certificates, allowed_client_cidrs, ip_address_type, existing_listener, existing_rules, reserved_priorities",
            line=12,
        ),
        Problem(
            path="environments.prod.experiments[0] (sentiment-abtest).variants[1] (sentiment-b).weight",
            message="1000 is out of range; a weight is an integer from 0 to 999",
            line=23,
        ),
    )


def test_str_of_the_error_is_one_line_per_problem_with_source_and_line() -> None:
    assert str(_error(BROKEN)).splitlines()[1] == (
        "examples/x.yaml:23: environments.prod.experiments[0] (sentiment-abtest).variants[1] (sentiment-b).weight: "
        "1000 is out of range; a weight is an integer from 0 to 999"
    )


def test_many_problems_in_one_spec_are_all_reported_sorted_by_line() -> None:
    # GIVEN a spec with five independent mistakes
    spec = base_spec()
    for where, value in [
        ("environments.prod.region", "europe"),
        ("environments.prod.experiments.0.variants.0.weight", 1000),
        ("environments.prod.experiments.0.variants.1.port", "80"),
        ("environments.prod.experiments.0.stickiness", "forever"),
        ("environments.prod.load_balancers.public", {"idle_timeout": 0}),
    ]:
        spec = changed(spec, where, value)
    # WHEN it is loaded THEN all five are reported, in file order
    error = _error(dump(spec))
    assert sorted(p.path for p in error.problems) == sorted(
        [
            "environments.prod.region",
            f"{EXP}.variants[0] (a).weight",
            f"{EXP}.variants[1] (b).port",
            f"{EXP}.stickiness",
            "environments.prod.load_balancers.public.idle_timeout",
        ]
    )
    lines = [p.line for p in error.problems]
    assert None not in lines and lines == sorted(lines)


def test_fails_on_yaml_syntax_error_with_its_line_and_no_traceback() -> None:
    error = _error("version: 1\nenvironments:\n  prod: [unclosed\n")
    assert len(error.problems) == 1
    problem = error.problems[0]
    assert problem.path == "" and problem.line == 4
    assert problem.message.startswith("not valid YAML: ")
    assert str(error).startswith("examples/x.yaml:4: not valid YAML: ")


def test_fails_on_every_duplicate_key_naming_both_lines() -> None:
    text = BROKEN.replace(
        "    region: eu-west-1\n", "    region: eu-west-1\n    region: eu-west-2\n"
    ).replace("            weight: 80\n", "            weight: 80\n            weight: 70\n")
    problems = [p for p in _error(text).problems if "repeated" in p.message]
    assert problems == [
        Problem(
            path="environments.prod.region",
            message="the key 'region' is repeated (first at line 4); a key may appear once per map: keep one "
            "and delete the other",
            line=5,
        ),
        Problem(
            path="environments.prod.experiments[0].variants[0].weight",
            message="the key 'weight' is repeated (first at line 21); a key may appear once per map: keep one "
            "and delete the other",
            line=22,
        ),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the spec is empty; a spec is a map with version: 1 and environments"),
        ("- a\n", "a list is given; a spec is a map with the keys version, environments"),
    ],
)
def test_fails_on_a_file_that_is_not_a_spec(text: str, message: str) -> None:
    assert [p.message for p in _error(text).problems] == [message]


def test_unknown_key_without_a_close_match_lists_the_allowed_keys() -> None:
    spec = changed(base_spec(), "environments.prod.experiments.0.colour", "blue")
    (problem,) = _error(dump(spec)).problems
    assert problem.message == (
        '"colour" is not a known key; an experiment has the keys name, load_balancer, match, priority, stickiness, '
        "override, variants, ramp, guardrails, analysis, auto_rollback, owner"
    )


def test_load_spec_names_the_file_in_each_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BROKEN)
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    assert all(line.startswith(f"{path}:") for line in str(caught.value).splitlines())


def test_fails_on_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("owner: \xe9quipe\n".encode("latin-1"))
    with pytest.raises(SpecError, match="not UTF-8 text"):
        load_spec(path)


def test_problem_without_line_renders_without_it() -> None:
    assert Problem(path="a.b", message="x is wrong; y").render("s.yaml") == "s.yaml: a.b: x is wrong; y"


def test_a_misspelled_required_key_is_one_problem_not_also_a_missing_one() -> None:
    # GIVEN `region` written as `regon`
    spec = base_spec()
    spec["environments"]["prod"]["regon"] = spec["environments"]["prod"].pop("region")
    # THEN the typo is reported, and `region` is not reported missing as well
    (problem,) = _error(dump(spec)).problems
    assert problem.path == "environments.prod.regon"
    assert problem.message.startswith('"regon" is not a known key; did you mean "region"?')


def test_a_required_key_missing_without_a_look_alike_is_reported_missing() -> None:
    spec = base_spec()
    del spec["environments"]["prod"]["region"]
    (problem,) = _error(dump(spec)).problems
    assert (problem.path, problem.message) == (
        "environments.prod.region",
        "missing; region is an AWS region such as eu-west-1",
    )


@pytest.mark.parametrize(
    ("written", "line", "message"),
    [
        (
            "    vpc_id: !Ref Vpc\n",
            5,
            "environments.prod.vpc_id: a value tagged !Ref is not supported; a spec holds plain values (text, "
            "numbers, true/false, lists and maps) and nothing resolves YAML tags such as !Ref or !Sub: write "
            "the value itself",
        ),
        (
            "    vpc_id: !Sub {Name: vpc}\n",
            5,
            "environments.prod.vpc_id: a map tagged !Sub is not supported; a spec holds plain values (text, "
            "numbers, true/false, lists and maps) and nothing resolves YAML tags such as !Ref or !Sub: write "
            "the value itself",
        ),
        (
            "    vpc_id: !!binary dnBjLTE=\n",
            5,
            "environments.prod.vpc_id: a value tagged !!binary is not supported; a spec holds plain values "
            "(text, numbers, true/false, lists and maps) and nothing resolves YAML tags such as !Ref or !Sub: "
            "write the value itself",
        ),
        (
            "    vpc_id: vpc-0a1b\x012c3d4e5f67890\n",
            5,
            "the control character U+0001 at column 21 is not allowed in a YAML file; delete it (or write it as "
            "an escape in a double-quoted string, such as \\t)",
        ),
        (
            "    vpc_id: vpc-0a1b2c3d4e5f67890\x00\n",
            5,
            "the control character U+0000 at column 34 is not allowed in a YAML file; delete it (or write it as "
            "an escape in a double-quoted string, such as \\t)",
        ),
    ],
    ids=["ref", "sub-map", "binary", "control-character", "nul"],
)
def test_yaml_tags_and_control_characters_are_problems_with_file_and_line(
    written: str, line: int, message: str
) -> None:
    # GIVEN the VPC id line of a spec written with a YAML tag or holding a control character
    text = BROKEN.replace("    vpc_id: vpc-0a1b2c3d4e5f67890\n", written)
    # THEN one problem, with the file and the line, like every other problem (and no traceback)
    (problem,) = _error(text).problems
    assert problem.render("examples/x.yaml") == f"examples/x.yaml:{line}: {message}"


def test_every_tag_is_reported_in_a_list_item_with_its_name() -> None:
    text = BROKEN.replace("weight: 80", "weight: !Ref Weight").replace(
        "idle_timout: 300", "idle_timout: !Ref T"
    )
    assert [(p.line, p.path) for p in _error(text).problems] == [
        (12, "environments.prod.load_balancers.public.idle_timout"),
        (20, "environments.prod.experiments[0] (sentiment-abtest).variants[0] (sentiment-a).weight"),
    ]


def test_anchors_aliases_and_merge_keys_are_read() -> None:
    text = (
        BROKEN.replace("    owner: ml-platform\n", "    owner: &team ml-platform\n")
        .replace(
            "      public:\n        idle_timout: 300\n",
            "      base: &lb\n        idle_timeout: 300\n        internal: true\n"
            "      public:\n        <<: *lb\n        internal: false\n",
        )
        .replace("            weight: 1000\n", "            weight: 20\n")
    )
    text = text.replace(
        "    owner: &team ml-platform\n", "    owner: &team ml-platform\n    tags: {team: *team}\n"
    )
    spec = parse_spec(text, "x.yaml")
    base, public = spec.environments[0].load_balancers
    assert (base.idle_timeout, base.internal) == (300, True)
    assert (public.idle_timeout, public.internal) == (300, False)  # the explicit key wins over the merge
    assert spec.environments[0].tags == (("team", "ml-platform"),)


def test_the_pure_python_parser_reads_the_same_spec_as_the_c_one(monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN the example read with ruamel's C parser (the default), then with its pure Python parser only
    from constructs_ab.spec import yaml_source

    example = Path(__file__).resolve().parents[2] / "examples" / "ab-experiments.yaml"
    with_c = load_spec(example)
    real_parser = yaml_source._parser
    monkeypatch.setattr(yaml_source, "_parser", lambda pure: real_parser(pure=True))
    # THEN both give the same spec
    assert load_spec(example) == with_c
