"""Loaders of the reference datasets, by dataset name: the one list (no discovery by import).

A dataset file carries ``dataset`` and ``version``; ``refdata.apply_dataset`` runs the loader named
here. A feature adds a dataset by writing its loader and listing it below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from migreg_desktop.refdata.datasets import eligibility_params as params
from migreg_desktop.refdata.datasets import quotas, settlement_list, territories

Loader = Callable[[dict[str, Any], Session], int]

LOADERS: dict[str, Loader] = {
    "territories": territories.load_territories,
    "designated_regions": params.load_designated_regions,
    "rule_parameters": params.load_rule_parameters,
    "mci": params.load_mci,
    "support_measures": params.load_support_measures,
    "settlement_potential": params.load_settlement_potential,
    "quotas": quotas.load_quotas,
    "settlement_list": settlement_list.load_settlement_list,
}
