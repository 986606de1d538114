"""Our Checkov policies for A/B testing behind an Application Load Balancer (ids CKV_ABT_n, CKV2_ABT_n).

One check per file (Python: the instance is registered at the bottom; YAML: a graph policy). Helper
modules start with `abt_` and register no check. Loadable by the gate and by plain
`checkov --external-checks-dir policies`.
"""
