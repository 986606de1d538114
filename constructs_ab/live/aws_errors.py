"""AWS failures as one line each: missing, expired or rejected credentials, an unreachable endpoint, a
denied or failed call.

Every command that reads AWS wraps its calls in `aws_errors(...)`; a `LiveError` then carries one line
that names what was being done and how to fix it, and the command prints it and exits 2 (no traceback).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    CredentialRetrievalError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
    SSOError,
    TokenRetrievalError,
)

#: Error codes AWS answers when the credentials are expired.
EXPIRED_CODES = frozenset({"ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"})
#: Error codes AWS answers when it does not accept the credentials at all.
REJECTED_CODES = frozenset(
    {
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "SignatureDoesNotMatch",
        "InvalidAccessKeyId",
        "AuthFailure",
        "InvalidToken",
        "IncompleteSignature",
    }
)
#: Error codes of a call the credentials may not make.
DENIED_CODES = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"})


class LiveError(Exception):
    """Reading AWS failed; the message is one line (what was done, what went wrong, what to do)."""


def one_line(text: object) -> str:
    """`text` on one line: line breaks and runs of spaces become single spaces."""
    return " ".join(str(text).split())


def describe_aws_error(error: Exception, *, doing: str) -> str:
    """One line for a boto3/botocore failure while `doing` (e.g. `reading load balancer prod-public`)."""
    if isinstance(error, ProfileNotFound):
        return (
            f"{doing}: AWS profile {error.kwargs.get('profile')!r} is not in the AWS config or credentials "
            "file; pass an existing --profile or unset AWS_PROFILE"
        )
    if isinstance(error, (NoCredentialsError, PartialCredentialsError)):
        return (
            f"{doing}: no AWS credentials found ({one_line(error)}); pass --profile, set AWS_PROFILE or "
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where a role is available"
        )
    if isinstance(error, (TokenRetrievalError, SSOError, CredentialRetrievalError)):
        return (
            f"{doing}: the AWS credentials could not be loaded or are expired ({one_line(error)}); refresh "
            "them (for SSO: aws sso login) and run again"
        )
    if isinstance(error, NoRegionError):
        return f"{doing}: no AWS Region; pass --region or set AWS_REGION"
    if isinstance(error, (EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError)):
        endpoint = error.kwargs.get("endpoint_url", "the AWS endpoint")
        return (
            f"{doing}: cannot reach {endpoint} ({one_line(error)}); check the network, --region and "
            "AWS_ENDPOINT_URL"
        )
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        code = str(details.get("Code", "Unknown"))
        message = one_line(details.get("Message", "")) or code
        operation = error.operation_name
        if code in EXPIRED_CODES:
            return (
                f"{doing}: the AWS credentials are expired ({code} on {operation}); refresh them "
                "(for SSO: aws sso login) and run again"
            )
        if code in REJECTED_CODES:
            return (
                f"{doing}: AWS rejected the credentials ({code} on {operation}: {message}); check --profile "
                "and the access keys"
            )
        if code in DENIED_CODES:
            return f"{doing}: access denied to {operation} ({message}); the command needs read access to it"
        return f"{doing}: {operation} failed: {code}: {message}"
    return f"{doing}: {one_line(error)}"


@contextlib.contextmanager
def aws_errors(doing: str) -> Iterator[None]:
    """Turn any botocore failure inside the block into a one-line `LiveError` about `doing`."""
    try:
        yield
    except (BotoCoreError, ClientError) as error:
        raise LiveError(describe_aws_error(error, doing=doing)) from error
