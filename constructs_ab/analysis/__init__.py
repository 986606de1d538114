"""The analysis layer: `analyze` decides on an experiment's candidates from CloudWatch metrics, read with
boto3 (read-only; never cdktf). Every distribution comes from SciPy.

    window          --since / --until: whole UTC minutes
    metric_queries  the GetMetricData queries (ALB counts and latency percentiles, custom metrics)
    cloudwatch_reader  GetMetricData: 500 queries a call, every page, one value per minute
    live_split      the live split: weights, target groups, stickiness, other traffic into a target group
    gather          the metrics of each variant that takes traffic
    roles           the control and the candidates
    srm             sample ratio mismatch: chi-square, dispersion-adjusted with stickiness, a tolerance
    two_proportions error rates: the two-proportion z-test
    fdr             Benjamini-Hochberg across candidates
    sample_size     the minimum sample size from the minimum detectable effect
    paired_minutes  latency percentiles per minute: Wilcoxon signed-rank on paired minutes
    welch           custom metrics per minute: Welch's t-test
    decision        the verdicts, the comparisons' outcomes and the variants' series
    effects         the numbers behind a comparison, as the reasons write them
    decide          the verdict rules: rollback, hold (with what is missing) or promote
    run             one analysis end to end
    report          text, markdown and JSON
    apply_verdict   --apply: promote or rollback through the rollout commands
    analyze_cli     `python -m constructs_ab analyze`
"""
