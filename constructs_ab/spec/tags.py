"""Tags: the extra tags of an environment's resources, and the owner put in the `owner` tag.

User tags leave room for the tags the constructs set themselves, whose keys are reserved.
"""

from __future__ import annotations

from collections.abc import Mapping

from constructs_ab import aws_limits
from constructs_ab.spec import formats
from constructs_ab.spec.context import Checks
from constructs_ab.spec.paths import FieldPath
from constructs_ab.spec.reader import Node, Problems, child_of_map
from constructs_ab.spec.rules import Text
from constructs_ab.spec.values import describe, show

#: User tags leave room for the tags the constructs add themselves.
MAX_USER_TAGS = aws_limits.MAX_TAGS_PER_RESOURCE - len(formats.RESERVED_TAG_KEYS)
TAG_CHARACTERS = "letters, digits, spaces and _ . : / = + - @"
KEY_ALLOWED = (
    f"a tag key is 1 to {aws_limits.MAX_TAG_KEY_LENGTH} characters ({TAG_CHARACTERS}), "
    f"not starting with {aws_limits.RESERVED_TAG_KEY_PREFIX}"
)
VALUE = Text(
    allowed=f"a tag value is text of at most {aws_limits.MAX_TAG_VALUE_LENGTH} characters ({TAG_CHARACTERS}; "
    "quote numbers)",
    test=formats.tag_text(aws_limits.MAX_TAG_VALUE_LENGTH),
)
#: The team that owns an environment or an experiment: the value of its `owner` tag.
OWNER = Text(
    allowed=f"owner is a team name of at most {aws_limits.MAX_TAG_VALUE_LENGTH} tag characters ({TAG_CHARACTERS})",
    test=formats.tag_text(aws_limits.MAX_TAG_VALUE_LENGTH),
)


def _count_problem(count: int) -> str | None:
    if count <= MAX_USER_TAGS:
        return None
    return (
        f"{count} tags given; at most {MAX_USER_TAGS} tags (AWS allows "
        f"{aws_limits.MAX_TAGS_PER_RESOURCE} per resource and {len(formats.RESERVED_TAG_KEYS)} are set "
        "by constructs_ab)"
    )


def key_problem(key: object) -> str | None:
    """What is wrong with a tag key: not text, characters or length, AWS's prefix, or a reserved key."""
    if not isinstance(key, str):
        return f"the tag key {show(key)} is not text; {KEY_ALLOWED}"
    wrong = formats.tag_text(aws_limits.MAX_TAG_KEY_LENGTH)(key)
    if key.lower().startswith(aws_limits.RESERVED_TAG_KEY_PREFIX):
        wrong = f"starts with {aws_limits.RESERVED_TAG_KEY_PREFIX}"
    if wrong:
        return f"the key {show(key)} {wrong}; {KEY_ALLOWED}"
    if key in formats.RESERVED_TAG_KEYS:
        return (
            f"the key {show(key)} is set by constructs_ab on every resource; remove it "
            f"(tags {', '.join(formats.RESERVED_TAG_KEYS)} are reserved; set owner with the owner field)"
        )
    return None


def read_tags(node: Node | None, problems: Problems) -> tuple[tuple[str, str], ...]:
    if node is None:
        return ()
    if not isinstance(node.value, Mapping):
        problems.add(
            node, f"{describe(node.value)}; tags is a map from tag key to value, e.g. {{cost-center: ml}}"
        )
        return ()
    too_many = _count_problem(len(node.value))
    if too_many:
        problems.add(node, too_many)
    tags = []
    for key in node.value:
        wrong = key_problem(key)
        if wrong:
            problems.add(child_of_map(node, key) if isinstance(key, str) else node, wrong)
            continue
        value_node = child_of_map(node, key)
        if value_node.value == "" or value_node.value is None:
            tags.append((key, ""))
            continue
        value = VALUE.read(value_node, problems)
        if value is not None:
            tags.append((key, value))
    return tuple(tags)


def check_tags(checks: Checks, tags: tuple[tuple[str, str], ...], path: FieldPath) -> None:
    too_many = _count_problem(len(tags))
    if too_many and checks.valid(path):
        checks.error(path, too_many)
    for key, value in tags:
        where = path.key(key)
        wrong = key_problem(key)
        if wrong:
            if checks.valid(where):
                checks.error(where, wrong)
        elif value != "":
            VALUE.check(checks, where, value)
