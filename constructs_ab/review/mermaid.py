"""A Mermaid flowchart of one listener's routing: the listener, its rules in evaluation order (each
falling through to the next when it does not match), the default action, and the target groups with
the share each rule sends them.

    flowchart LR
      L["HTTPS:443"] --> R1
      R1{"100: sentiment-abtest override sentiment-a<br/>path /abtest ..."}
      R1 -->|"100.0%"| T1["sentiment-a<br/>sentiment:1.4.2"]
      R1 -.->|no match| R2
      ...
"""

from __future__ import annotations

from constructs_ab.review.traffic import Action, ForwardAction, Listener, format_percent


def _label(text: str) -> str:
    """Text safe inside a quoted Mermaid label."""
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def listener_flowchart(listener: Listener) -> list[str]:
    """The flowchart's lines (without the ```mermaid fence)."""
    lines = ["flowchart LR", f'  L["{_label(listener.label)}"]']
    targets: dict[str, str] = {}

    def target_node(address: str, text: str) -> str:
        """The node of a target group, declared on first use; `text` is already escaped."""
        if address not in targets:
            targets[address] = f"T{len(targets) + 1}"
            lines.append(f'  {targets[address]}["{text}"]')
        return targets[address]

    def action_edges(node: str, action: Action | None) -> None:
        if isinstance(action, ForwardAction):
            for target in action.targets:
                group = target.target_group
                text = _label(group.label) + (f"<br/>{_label(group.model)}" if group.model else "")
                tid = target_node(group.address, text)
                lines.append(f'  {node} -->|"{format_percent(target.share)}"| {tid}')
        else:
            aid = f"{node}A"
            lines.append(f'  {aid}(["{_label(action.describe() if action else "unknown")}"])')
            lines.append(f"  {node} --> {aid}")

    previous = "L"
    edge = "-->"
    for index, rule in enumerate(listener.rules, start=1):
        node = f"R{index}"
        priority = rule.priority if rule.priority is not None else "?"
        text = f"{_label(f'{priority}: {rule.label}')}<br/>{_label(rule.describe_conditions())}"
        lines.append(f'  {node}{{"{text}"}}')
        lines.append(
            f"  {previous} {edge} {node}" if previous == "L" else f"  {previous} -.->|no match| {node}"
        )
        action_edges(node, rule.action)
        previous = node
    lines.append('  D{"default action"}')
    lines.append(f"  {previous} -.->|no match| D" if previous != "L" else "  L --> D")
    action_edges("D", listener.default_action)
    return lines
