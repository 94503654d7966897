"""Reading a table file (CSV, XLSX or JSON Lines) that a person uploads, for every importer (snapshots,
award scores, posts).

Modules: charsets (a CSV's encoding, detected or given, checked line by line), bounds (limits that refuse
hostile sizes before parsing), cells (a cell as text), reading (chunked CSV/XLSX, line numbers as a
spreadsheet shows them), jsonlines (JSON Lines, for the importers that ask for it, with its own bounds),
errors (RowError: one problem at its line and column; ImportFailed: the rejected file's problems, capped;
the whole-file messages). What a file's columns mean is the importer's business.
"""
