"""Loaders of reference datasets beyond territories (designated regions, quotas, MCI, …).

Each module here registers its loaders with ``@refdata.loader("<dataset>")``; ``refdata`` imports
them all before loading, so a feature adds a dataset without editing shared code.
"""
