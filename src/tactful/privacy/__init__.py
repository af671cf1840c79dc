"""Privacy rights: access (export), erasure that reaches the models, consent withdrawal,
rectification of inferences, retention, a tamper-evident audit log and subject tokens.

The use cases are methods of ``tactful.app.Tactful`` (``export_subject``, ``erase_subject``,
``remove_signal``, ``run_retention``, ``verify_audit``, ``issue_token``); the modules here
hold their logic. See docs/privacy.md.
"""

from tactful.privacy.access import CLI, SUBJECT, SYSTEM, Actor
from tactful.privacy.audit import Action, Chain, Verdict, verify
from tactful.privacy.erasure import ERASED, Receipt
from tactful.privacy.keyring import Keyring
from tactful.privacy.rectification import Correction
from tactful.privacy.retention import RetentionReport
from tactful.privacy.tokens import SubjectToken

__all__ = [
    "CLI",
    "ERASED",
    "SUBJECT",
    "SYSTEM",
    "Action",
    "Actor",
    "Chain",
    "Correction",
    "Keyring",
    "Receipt",
    "RetentionReport",
    "SubjectToken",
    "Verdict",
    "verify",
]
