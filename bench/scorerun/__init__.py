"""The parts of bench/score_run.py (the entry point, which documents what is measured):

- common.py       constants, goals, the national data set (loaded once), emptying the result tables
- floor.py        the floor: the SQL aggregate COPYed out, the same arithmetic, the results COPYed in
                  (binary COPY data by core.bulk.binary_copy_shaped, the run's own encoder)
- runs.py         the run through the service, beside its floor (phase "run")
- cli.py          the run through `manage.py compute_scores`, its start-up, beside the floor (phase "cli")
- uncertainty.py  the Monte Carlo stage on one worker (phase "uncertainty")
- report.py       the Markdown tables and the goals
"""
