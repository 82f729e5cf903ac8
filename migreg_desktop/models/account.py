"""Clerks' accounts: who may open the office's personal data, and with which role.

Accounts are never deleted (the audit trail names them); an admin disables them instead.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from migreg_desktop.models.base import utcnow


class Account(SQLModel, table=True):
    __tablename__ = "account"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)  # login name, case-folded
    full_name: str = ""
    position: str = Field(default="", sa_column_kwargs={"server_default": ""})  # issue 14: printed with the name
    role: str  # clerk | head | admin
    password_hash: str  # Argon2id, PHC string ($argon2id$v=19$...)
    disabled: bool = False
    failed_attempts: int = 0
    locked_until: datetime | None = None
    last_login_at: datetime | None = None
    password_changed_at: datetime = Field(default_factory=utcnow)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str | None = None
