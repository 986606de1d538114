"""The emulator answers an SDK retry of a call it already answered with that answer, and runs a call with
a new invocation id (so a configuration that really creates a rule twice still fails)."""

from __future__ import annotations

import http.client
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest

from constructs_ab.emulator.server import Emulator, EmulatorEndpoint
from constructs_ab.emulator.wsgi_calls import replaying_retries

REGION = "eu-west-1"


def counting_app(status: str = "200 OK") -> tuple[Callable[..., Any], list[int]]:
    calls: list[int] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        calls.append(1)
        start_response(status, [("Content-Type", "text/xml")])
        return [f"<answer>{len(calls)}</answer>".encode()]

    return app, calls


def call(app: Callable[..., Any], invocation: str, attempt: int) -> tuple[str, bytes]:
    seen: list[str] = []
    environ = {"HTTP_AMZ_SDK_INVOCATION_ID": invocation, "HTTP_AMZ_SDK_REQUEST": f"attempt={attempt}; max=25"}
    body = b"".join(app(environ, lambda status, headers, *rest: seen.append(status)))
    return seen[-1], body


def test_a_retry_of_an_answered_call_gets_the_first_answer_and_runs_nothing() -> None:
    app, calls = counting_app()
    wrapped = replaying_retries(app)
    assert call(wrapped, "id-1", 1) == ("200 OK", b"<answer>1</answer>")
    assert call(wrapped, "id-1", 2) == ("200 OK", b"<answer>1</answer>")
    assert len(calls) == 1


def test_a_new_invocation_or_a_first_attempt_always_runs() -> None:
    app, calls = counting_app()
    wrapped = replaying_retries(app)
    call(wrapped, "id-1", 1)
    assert call(wrapped, "id-2", 2) == ("200 OK", b"<answer>2</answer>")  # never answered before
    assert call(wrapped, "id-1", 1) == ("200 OK", b"<answer>3</answer>")  # attempt 1: a new call
    assert len(calls) == 3


def test_a_server_error_is_not_stored_so_its_retry_runs() -> None:
    app, calls = counting_app("500 Internal Server Error")
    wrapped = replaying_retries(app)
    call(wrapped, "id-1", 1)
    call(wrapped, "id-1", 2)
    assert len(calls) == 2


def test_only_the_newest_answers_are_kept() -> None:
    app, calls = counting_app()
    wrapped = replaying_retries(app, capacity=2)
    for invocation in ("a", "b", "c"):
        call(wrapped, invocation, 1)
    assert call(wrapped, "a", 2)[1] == b"<answer>4</answer>"  # dropped: run again
    assert call(wrapped, "c", 2)[1] == b"<answer>3</answer>"  # kept: replayed


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorEndpoint]:
    with Emulator() as endpoint:
        yield endpoint


def authorize(endpoint: EmulatorEndpoint, group_id: str, invocation: str, attempt: int) -> tuple[int, str]:
    """AuthorizeSecurityGroupIngress (tcp 443 from 0.0.0.0/0) as the SDK sends it, attempt `attempt`."""
    body = urllib.parse.urlencode(
        {
            "Action": "AuthorizeSecurityGroupIngress",
            "Version": "2016-11-15",
            "GroupId": group_id,
            "IpPermissions.1.IpProtocol": "tcp",
            "IpPermissions.1.FromPort": "443",
            "IpPermissions.1.ToPort": "443",
            "IpPermissions.1.IpRanges.1.CidrIp": "0.0.0.0/0",
        }
    )
    host = urllib.parse.urlsplit(endpoint.url)
    connection = http.client.HTTPConnection(host.hostname or "", host.port, timeout=30)
    scope = f"testing/20261126/{REGION}/ec2/aws4_request"
    connection.request(
        "POST",
        "/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Authorization": f"AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=host, Signature=0",
            "amz-sdk-invocation-id": invocation,
            "amz-sdk-request": f"attempt={attempt}; max=25",
        },
    )
    response = connection.getresponse()
    text = response.read().decode()
    connection.close()
    return response.status, text


def test_on_the_emulator_a_retried_rule_is_created_once_and_a_second_call_is_a_duplicate(
    emulator: EmulatorEndpoint,
) -> None:
    ec2 = boto3.client(
        "ec2",
        region_name=REGION,
        endpoint_url=emulator.url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName="g", Description="g", VpcId=vpc)["GroupId"]
    # WHEN the SDK sends one call, then retries it (its answer lost on the way)
    first = authorize(emulator, group, "invocation-1", 1)
    retry = authorize(emulator, group, "invocation-1", 2)
    # THEN the retry gets the first answer, and the rule exists once
    assert first[0] == 200 and retry == first
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group]}])
    ingress = [r for r in rules["SecurityGroupRules"] if not r["IsEgress"]]
    assert [(r["FromPort"], r.get("CidrIpv4")) for r in ingress] == [(443, "0.0.0.0/0")]
    # AND a second call of its own (a new invocation) is refused as AWS refuses it
    status, text = authorize(emulator, group, "invocation-2", 1)
    assert status == 400 and "InvalidPermission.Duplicate" in text


def test_the_call_log_leaves_a_body_without_a_length_for_the_emulator() -> None:
    import io

    from constructs_ab.emulator.wsgi_calls import logged

    read: list[bytes] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        read.append(environ["wsgi.input"].read())
        start_response("200 OK", [])
        return [b""]

    chunked = {"REQUEST_METHOD": "PUT", "PATH_INFO": "/bucket/key", "wsgi.input": io.BytesIO(b"data")}
    b"".join(logged(app)(chunked, lambda *args: None))
    assert read == [b"data"]
