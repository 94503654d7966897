"""File import of expert scores or netizen tallies (CSV in UTF-8/GB18030/UTF-16, or XLSX).

The file is read by the snapshot importer's reader (core.tables: encoding detection,
hostile-size bounds, line numbers as a spreadsheet shows them) and its problems are reported as its
RowErrors in one ImportFailed: each problem its own message with line and column, nothing written.

The kind of file is told by its headers:
- expert scores: expert, expert_province, candidate (or city / account), score, comment
  (专家, 专家省份, 城市 or 账号, 评分, 评语); an expert is created the first time the file names them;
- netizen tallies: candidate (or city / account), votes, source (城市 or 账号, 票数, 来源).
An optional province (省份) column settles a city name that two provinces share. A province (the
candidate's or the expert's) may be spelled any way core.provinces accepts (湖南 / 湖南省 / Hunan): it is
compared canonically, and a spelling that names no province is refused with the accepted ones.
The values go through the same validation and the same write as the grid (awards.services.cells).

Modules: columns (the headers of each kind of file), reading (the file's rows, bounded), rows (each row
checked against the round), service (round_import and round_import_preview, the entry points).
"""
from awards.importing.columns import SCORES, TALLIES
from awards.importing.service import (
           ImportPreview,
           ImportSummary,
           PreviewLine,
           round_import,
           round_import_preview,
)

__all__ = ["SCORES", "TALLIES", "ImportPreview", "ImportSummary", "PreviewLine", "round_import",
           "round_import_preview"]
