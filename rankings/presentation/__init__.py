"""What the ranking pages show beside the data: a run's method in words and the charts as HTML. Reads
only what selectors return and the run's frozen scheme (names in the active language: rankings.labels).

- method.py  run_method_get: the method section of a run's page
- charts.py  city_chart_html, score_distribution_html
"""
