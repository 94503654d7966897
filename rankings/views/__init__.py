"""The rankings pages, by page family (rankings.urls routes to each module):

- home.py         the home page: the overview and the published city ranking
- categories.py   a category's leaderboard (the lists of accounts)
- city.py         a city;  compare.py  two to four cities side by side
- account.py      an account
- runs.py         the run list, a run's page, starting and publishing a run
- whatif.py       the what-if explorer's panel and JSON endpoint (weights.py reads ?w=)
- exports.py      the downloads of the pages above
- methodology.py  the method page
- common.py       what they share: the cached page body, a run for this user, the ranking table

Which run a page shows is rankings.selectors.resolution's rule, who sees it and what is kept of it
rankings.selectors.visibility's.
"""
