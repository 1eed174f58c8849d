# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Encryption at rest of ID numbers (PIPL Art. 51, REFERENCE.md 7).

ID numbers of receipt signers and delegates are stored encrypted with
Fernet (AES-128-CBC + HMAC-SHA256, ``cryptography``, an Odoo requirement).
The key is NOT in the database: the ORM layer reads a secret from the server
configuration (option ``logistics_id_key``) and passes it here. Any string
of at least ``MIN_SECRET_LENGTH`` characters is accepted; the Fernet key is
its SHA-256 digest, so a long random string (``secrets.token_urlsafe(32)``)
is all an administrator has to generate.

Errors are codes (``EncryptionError.code``): ``no_key``, ``weak_key``,
``bad_token`` (wrong key, or the stored value was tampered with).
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

__all__ = ["MIN_SECRET_LENGTH", "EncryptionError", "decrypt", "encrypt"]

MIN_SECRET_LENGTH = 16


class EncryptionError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _fernet(secret: str | None) -> Fernet:
    if not secret:
        raise EncryptionError("no_key")
    if len(secret) < MIN_SECRET_LENGTH:
        raise EncryptionError("weak_key")
    digest = hashlib.sha256(secret.encode("utf-8")).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(secret: str | None, text: str) -> str:
    """Ciphertext (ASCII) of ``text``; a new random IV every call."""
    return _fernet(secret).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(secret: str | None, token: str) -> str:
    """The clear text of ``token``; ``bad_token`` if the key is wrong."""
    try:
        return _fernet(secret).decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError, ValueError) as error:
        if isinstance(error, EncryptionError):
            raise
        raise EncryptionError("bad_token") from None
