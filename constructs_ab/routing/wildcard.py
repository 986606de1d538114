"""ALB wildcard matching: `*` matches any run of characters (including none), `?` exactly one.

Used by path-pattern (case-sensitive), host-header, http-header values and query-string keys and
values (case-insensitive). Every other character matches itself; there is no escape character.

See: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
"""

from __future__ import annotations


def wildcard_match(pattern: str, text: str, *, case_sensitive: bool) -> bool:
    """True when `text` matches all of `pattern` (not a substring search).

    Linear backtracking over the last `*` seen: O(len(pattern) * len(text)) in the worst case, no
    regular expression, so patterns from a configuration can never blow up.
    """
    if not case_sensitive:
        pattern, text = pattern.lower(), text.lower()
    p = t = 0
    star = -1  # position in pattern just after the last '*'
    star_text = 0  # position in text where that '*' started matching
    while t < len(text):
        if p < len(pattern) and (pattern[p] == "?" or (pattern[p] != "*" and pattern[p] == text[t])):
            p += 1
            t += 1
        elif p < len(pattern) and pattern[p] == "*":
            star, star_text = p + 1, t
            p += 1
        elif star >= 0:
            star_text += 1
            t = star_text
            p = star
        else:
            return False
    while p < len(pattern) and pattern[p] == "*":
        p += 1
    return p == len(pattern)
