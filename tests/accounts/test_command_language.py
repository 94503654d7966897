"""Commands speak the user's language: --help and output are Chinese by default, English on request."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _help(command: str, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k not in {"LANG", "LC_ALL", "LANGUAGE"}} | env
    result = subprocess.run([sys.executable, "manage.py", command, "--help"], cwd=ROOT, env=environ,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("command, chinese, english", [
    ("import_snapshots", "只检查文件并报告问题", "check the file and report, write nothing"),
    ("generate_demo_data", "随机种子", "Random seed"),
    ("setup_demo", "准备演示环境", "Set up the demo"),
    ("compute_scores", "按评分方案和统计周期计算城市排名", "Compute a city ranking for a scheme and period"),
    ("export_ranking", "将城市或账号排名导出为 CSV 或 XLSX 文件", "Export a city or account ranking as CSV or XLSX"),
    ("load_scheme", "根据 YAML 或 JSON 文件创建或更新评分方案", "Create or update a scoring scheme from a YAML"),
])
@pytest.mark.slow
def test_command_help_is_chinese_by_default_and_english_with_an_english_lang(command, chinese, english):
    assert chinese in _help(command, LANG="C.UTF-8")
    assert english in _help(command, LANG="en_US.UTF-8")
