"""Demo and national-scale data: real cities and a deterministic snapshot generator (no Django)."""
from demo.data.cities import CITIES, FIRST_SIXTY, CityInfo
from demo.data.generate import COLUMNS, generate_snapshots, minimum_accounts
from demo.data.named import NAMED_ACCOUNTS

__all__ = [
    "CITIES", "COLUMNS", "FIRST_SIXTY", "NAMED_ACCOUNTS", "CityInfo", "generate_snapshots",
    "minimum_accounts",
]
