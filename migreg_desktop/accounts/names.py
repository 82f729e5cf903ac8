"""Login names: compared case-folded, without surrounding spaces (one rule for every door)."""


def normalise_name(name: str) -> str:
    return (name or "").strip().casefold()
