"""python manage.py award_round experts|expert-add|expert-edit|expert-remove|expert-reopen."""
from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from awards import services
from awards.models import EntryPath, Expert, ExpertScore
from awards.services import ScoreCell
from tests.awards.factories import candidate_ids, expert_ids, round_build

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("award_round", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_ALL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")


def test_experts_are_added_edited_listed_and_every_change_is_audited_with_the_reason() -> None:
    award_round = round_build()
    User.objects.create_user("sun")
    assert "Expert 孙专家" in run("expert-add", award_round.slug, "--name", "孙专家", "--province", "江苏",
                                 "--affiliation", "南京大学", "--user", "sun", "--reason", "补充")
    sun = Expert.objects.get(name="孙专家")
    assert sun.user.username == "sun" and sun.history.first().history_change_reason == "command · 补充"
    run("expert-edit", award_round.slug, "孙专家", "--affiliation", "东南大学", "--no-user", "--reason", "更正")
    sun.refresh_from_db()
    assert sun.affiliation == "东南大学" and sun.user is None and sun.province_id == "江苏"
    listing = run("experts", award_round.slug)
    assert f"{sun.pk}\t孙专家\t江苏\t东南大学\t—\t0 scores\tnot submitted" in listing


def test_bad_options_are_named_and_nothing_changes() -> None:
    award_round = round_build()
    with pytest.raises(CommandError) as error:
        run("expert-add", award_round.slug, "--name", "王专家", "--province", " ")
    assert str(error.value).splitlines() == ["--name: This round has an expert named “王专家” already.",
                                             "--province: An expert needs a home province (for conflicts of "
                                             "interest, 回避)."]
    with pytest.raises(CommandError) as error:
        run("expert-edit", award_round.slug, "王专家", "--name", "王", "--reason", "\u200b")
    assert str(error.value).startswith("--reason: Reason: give one in words")
    with pytest.raises(CommandError) as error:
        run("expert-edit", award_round.slug, "钱专家" * 20, "--reason", "x")
    assert "has no expert “钱专家" in str(error.value) and "王专家、李专家、赵专家" in str(error.value)
    with pytest.raises(CommandError) as error:
        run("expert-add", award_round.slug, "--name", "钱", "--province", "江苏", "--user", "ghost")
    assert str(error.value) == "--user: there is no user “ghost”."
    assert list(Expert.objects.order_by("id").values_list("name", flat=True)) == ["王专家", "李专家", "赵专家"]


def test_an_expert_with_scores_is_removed_only_with_their_number() -> None:
    award_round = round_build()
    c, e = candidate_ids(award_round), expert_ids(award_round)
    services.cells_save(user=None, award_round=award_round, expected_version=award_round.version, via="grid",
                        scores=[ScoreCell(c["武汉"], e["王专家"], "80"), ScoreCell(c["广州"], e["王专家"], "70")])
    with pytest.raises(CommandError) as error:
        run("expert-remove", award_round.slug, "王专家", "--reason", "退出")
    assert "王专家 has 2 scores" in str(error.value) and "--delete-scores 2" in str(error.value)
    assert ExpertScore.objects.count() == 2
    run("expert-remove", award_round.slug, str(e["王专家"]), "--reason", "退出", "--delete-scores", "2")
    assert not Expert.objects.filter(name="王专家").exists() and not ExpertScore.objects.exists()


def test_reopen_is_refused_clearly_outside_voting_and_done_while_voting() -> None:
    award_round = round_build(experts=[("王专家", "北京")], quorum=1)
    wang = award_round.experts.get()
    services.round_open_voting(user=None, award_round=award_round, via=EntryPath.COMMAND)
    services.expert_scores_save(user=None, expert=wang,
                                scores=[ScoreCell(cid, wang.pk, "80") for cid in candidate_ids(award_round).values()])
    services.expert_submit(user=None, expert=wang)
    assert "reopened" in run("expert-reopen", award_round.slug, "王专家", "--reason", "误提交")
    wang.refresh_from_db()
    assert wang.submitted_at is None
    services.round_close(user=None, award_round=award_round, via=EntryPath.COMMAND)
    with pytest.raises(CommandError) as error:
        run("expert-reopen", award_round.slug, "王专家", "--reason", "再改")
    assert "is closed: an expert can be reopened only while the round is a draft or voting" in str(error.value)
    with pytest.raises(CommandError) as error:
        run("expert-remove", award_round.slug, "王专家", "--reason", "x", "--delete-scores", "5")
    assert "can no longer change" in str(error.value)


def test_chinese_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LANG")
    award_round = round_build()
    with pytest.raises(CommandError) as error:
        run("expert-add", award_round.slug, "--name", "王专家", "--province", "北京")
    assert "此评选已有名为“王专家”的专家" in str(error.value)
