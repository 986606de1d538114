"""What the guardrails and protections of a spec cost per month: counted in its synthesized stacks.

    .venv/bin/python bench/monthly_cost.py [--experiments 1 10 100] [OUTDIR ...]

Counts, in each synthesized output (given folders, else the example and generated specs of 1, 10 and 100
experiments of 5 variants, synthesized here): customer managed KMS keys, CloudWatch alarm metrics (an
alarm on one metric counts one, a metric-math alarm counts each metric it reads), dashboards, WAF web ACLs
and their rules; and the KMS keys the same spec would have with `alarm_topic_per_experiment: true` (one
topic and key per experiment instead of one per environment). Prints a Markdown table of the counts and their monthly price at the list prices below
(USD, standard tier, no free tier; the same in us-east-1 and eu-west-1 when written; check the AWS pricing
pages of your Region). Usage-priced items are left out: KMS and CloudWatch API requests, SNS deliveries
(e-mail is free up to 1,000 a month), WAF requests ($0.60 a million) and the load balancers themselves
(hourly plus capacity units).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.specs import load_balancer_count, write_generated_spec  # noqa: E402
from bench.timing import table  # noqa: E402

EXAMPLE = Path("examples/ab-experiments.yaml")
#: USD a month (AWS list prices: KMS, CloudWatch, WAF).
KMS_KEY = 1.00
ALARM_METRIC = 0.10
DASHBOARD = 3.00
WEB_ACL = 5.00
WAF_RULE = 1.00


@dataclass(frozen=True, kw_only=True)
class Counts:
    kms_keys: int
    alarms: int
    alarm_metrics: int
    dashboards: int
    web_acls: int
    waf_rules: int
    sns_topics: int

    @property
    def kms_keys_topic_per_experiment(self) -> int:
        """The keys with a topic per experiment: each topic's key (one per environment, each counted in
        `sns_topics`) replaced by a key per experiment (one dashboard each)."""
        return self.kms_keys - self.sns_topics + self.dashboards

    @property
    def monthly(self) -> dict[str, float]:
        return {
            "keys": self.kms_keys * KMS_KEY,
            "alarms": self.alarm_metrics * ALARM_METRIC,
            "dashboards": self.dashboards * DASHBOARD,
            "waf": self.web_acls * WEB_ACL + self.waf_rules * WAF_RULE,
        }


def count(outdir: Path) -> Counts:
    totals: Counter[str] = Counter()
    for stack in sorted(outdir.glob("stacks/*/cdk.tf.json")):
        resources: dict[str, dict[str, Any]] = json.loads(stack.read_text()).get("resource", {})
        totals["kms_keys"] += len(resources.get("aws_kms_key", {}))
        totals["dashboards"] += len(resources.get("aws_cloudwatch_dashboard", {}))
        totals["sns_topics"] += len(resources.get("aws_sns_topic", {}))
        for alarm in resources.get("aws_cloudwatch_metric_alarm", {}).values():
            totals["alarms"] += 1
            queries = alarm.get("metric_query") or []
            totals["alarm_metrics"] += sum(1 for query in queries if query.get("metric")) if queries else 1
        for acl in resources.get("aws_wafv2_web_acl", {}).values():
            totals["web_acls"] += 1
            totals["waf_rules"] += len(acl.get("rule") or [])
    return Counts(**{field: totals[field] for field in Counts.__dataclass_fields__})


def _synth(spec: Path, outdir: Path) -> Path:
    subprocess.run(
        [sys.executable, "-O", "main.py", "--spec", str(spec), "--outdir", str(outdir)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return outdir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdirs", nargs="*", type=Path, help="synthesized outputs (default: synthesize)")
    parser.add_argument("--experiments", type=int, nargs="*", default=[1, 10, 100])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-cost-") as tmp:
        work = Path(tmp)
        outputs: list[tuple[str, Path]] = [(str(path), path) for path in args.outdirs]
        if not outputs:
            outputs.append(("example", _synth(EXAMPLE, work / "example")))
            for size in args.experiments:
                spec = write_generated_spec(size, work)
                lbs = load_balancer_count(size)
                label = f"{size} experiment{'s' if size > 1 else ''}, {lbs} LB{'s' if lbs > 1 else ''}"
                outputs.append((label, _synth(spec, work / f"generated-{size}")))
        rows = []
        for label, outdir in outputs:
            counts = count(outdir)
            monthly = counts.monthly
            rows.append(
                [
                    label,
                    f"{counts.kms_keys} (${monthly['keys']:.2f})",
                    f"{counts.kms_keys_topic_per_experiment} (${counts.kms_keys_topic_per_experiment * KMS_KEY:.2f})",
                    f"{counts.alarms} / {counts.alarm_metrics} (${monthly['alarms']:.2f})",
                    f"{counts.dashboards} (${monthly['dashboards']:.2f})",
                    f"{counts.web_acls} / {counts.waf_rules} (${monthly['waf']:.2f})",
                    str(counts.sns_topics),
                    f"${sum(monthly.values()):.2f}",
                ]
            )
        print(
            table(
                [
                    "spec",
                    "KMS keys",
                    "KMS keys, a topic per experiment",
                    "alarms / alarm metrics",
                    "dashboards",
                    "web ACLs / rules",
                    "SNS topics",
                    "a month",
                ],
                rows,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
