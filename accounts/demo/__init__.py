"""Demo and national-scale data: real cities and a deterministic snapshot generator (no Django)."""
from accounts.demo.cities import CITIES, FIRST_SIXTY, CityInfo
from accounts.demo.generate import COLUMNS, generate_snapshots, minimum_accounts
from accounts.demo.named import NAMED_ACCOUNTS

__all__ = [
    "CITIES", "COLUMNS", "FIRST_SIXTY", "NAMED_ACCOUNTS", "CityInfo", "generate_snapshots",
    "minimum_accounts",
]
