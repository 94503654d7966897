"""Settings for bench/api.py's server: the project's, plus a URL for the trivial DRF baseline view."""
from govweibo.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_urls"
