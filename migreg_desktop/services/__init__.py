"""Use cases. Plain functions taking ``session`` as a keyword; they raise typed errors and never
commit (the caller owns the transaction)."""
