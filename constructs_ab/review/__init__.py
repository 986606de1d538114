"""Review of synthesized Terraform JSON: the traffic model, the routing report, the what-if
evaluator and the traffic diff.

Pure Python: nothing in this package imports cdktf, jsii or the spec package, so it works on any
Terraform JSON configuration with `aws_lb_listener_rule` / `aws_lb_listener` resources.
"""
