"""Login names (compared case-folded, without surrounding spaces) and how papers and the status bar
name a clerk: one rule for every door."""


def normalise_name(name: str) -> str:
    return (name or "").strip().casefold()


def display_name(login: str, full_name: str | None, position: str | None) -> str:
    """"full name, position" (issue 14), the full name alone without a position, the login
    without a full name."""
    full = (full_name or "").strip() or login
    position = (position or "").strip()
    return f"{full}, {position}" if position else full
