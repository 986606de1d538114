"""Connect to AWS the standard way: credentials and Region from boto3's chain, one identity line.

Credentials: `--profile` if given, else boto3's default chain (environment variables, `AWS_PROFILE`,
the shared config and credentials files, SSO, a container or instance role). Region: `--region` if
given, else the caller's default (the spec's environment Region for our commands), else boto3's
(`AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`).

Endpoints: boto3 honours `AWS_ENDPOINT_URL` (every service) and `AWS_ENDPOINT_URL_<SERVICE>` (e.g.
`AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2`) natively, so a local emulator needs nothing from this
module: `AWS_ENDPOINT_URL=http://127.0.0.1:5000 python -m constructs_ab status --env prod`.

Calls time out after `CONNECT_TIMEOUT_SECONDS` to connect and `READ_TIMEOUT_SECONDS` to answer, and are
tried at most `MAX_ATTEMPTS` times (botocore's standard retry mode), so an unreachable endpoint fails in
seconds, not minutes.

See: https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
and  https://boto3.amazonaws.com/v1/documentation/api/latest/guide/credentials.html
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

from constructs_ab.live.aws_errors import LiveError, aws_errors

CONNECT_TIMEOUT_SECONDS = 5
READ_TIMEOUT_SECONDS = 30
MAX_ATTEMPTS = 3
CLIENT_CONFIG = Config(
    connect_timeout=CONNECT_TIMEOUT_SECONDS,
    read_timeout=READ_TIMEOUT_SECONDS,
    retries={"max_attempts": MAX_ATTEMPTS, "mode": "standard"},
)


@dataclass(frozen=True, kw_only=True)
class CallerIdentity:
    """Who the commands read AWS as, from STS GetCallerIdentity.

    account: the 12-digit account id.
    arn: the caller's ARN (user, assumed role or federated user).
    region: the Region read.
    """

    account: str
    arn: str
    region: str

    def describe(self) -> str:
        """`account 123456789012 (arn:aws:sts::123456789012:assumed-role/reader/me), Region eu-west-1`."""
        return f"account {self.account} ({self.arn}), Region {self.region}"


@dataclass(kw_only=True)
class AwsConnection:
    """A boto3 session with the identity it reads as; `client(service)` makes (and keeps) one client each."""

    session: Any
    identity: CallerIdentity
    _clients: dict[str, Any] = field(default_factory=dict)

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self.session.client(service, config=CLIENT_CONFIG)
        return self._clients[service]

    def where(self) -> str:
        """`account 123456789012, Region eu-west-1`: appended to error messages after connecting."""
        return f"account {self.identity.account}, Region {self.identity.region}"


def connect(*, profile: str | None = None, region: str | None = None) -> AwsConnection:
    """Open a session from the standard chain and ask STS who it is.

    Raises LiveError (one line) when the profile does not exist, there are no credentials or no Region,
    the credentials are expired or rejected, or the endpoint cannot be reached.
    """
    with aws_errors("connecting to AWS"):
        session = boto3.Session(profile_name=profile, region_name=region)
        if session.region_name is None:
            raise LiveError("connecting to AWS: no AWS Region; pass --region or set AWS_REGION")
        answer = session.client("sts", config=CLIENT_CONFIG).get_caller_identity()
    identity = CallerIdentity(account=answer["Account"], arn=answer["Arn"], region=session.region_name)
    return AwsConnection(session=session, identity=identity)
