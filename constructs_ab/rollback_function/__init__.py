"""The auto-rollback function's code: `handler.py`, packaged alone into the AWS Lambda function's zip by
the `AutoRollback` construct (`constructs_ab.auto_rollback`). Pure Python with boto3 only (the Lambda
Python runtime provides boto3); it imports nothing from this package, so the zip needs nothing else."""
