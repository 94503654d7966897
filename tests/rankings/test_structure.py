"""How the rankings app holds together: imports that run one way, and a migration that is history."""
from __future__ import annotations

import ast
import hashlib
import json
from pathlib import Path

import grimp
import pytest

from rankings.models import ScoringScheme

ROOT = Path(__file__).resolve().parents[2]
MIGRATION = ROOT / "rankings" / "migrations" / "0002_builtin_schemes.py"

# sha256 of each built-in document (JSON, sorted keys) as 0002_builtin_schemes froze it. A changed
# hash means the migration's history was rewritten: change a built-in scheme through its YAML file and
# load_scheme (a new version), never by editing the migration.
FROZEN = {
    "bci-v1": "44f9fdf23ca7eabfc3d1092945e9f4a80d206a66bb3744498159f58be72fb639",
    "bci-v2": "052f3604bd8c5cbfaf1a3699fc37bc5c08c97c58a05b445e47e091261a402df1",
    "rmw-2023": "4f706771f282b9a6a019a1ae401435dc185bc889d32176a274734c55463e4971",
    "shifan-2012": "a89445ea594d7d400b55dee757009879645a2726ee93ec134010532835b59f03",
}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("rankings", "accounts", "core", cache_dir=None)


def test_services_never_import_tasks_not_even_through_another_module(graph):
    assert graph.find_shortest_chain(importer="rankings.services", imported="rankings.tasks",
                                     as_packages=True) is None
    assert graph.find_shortest_chain(importer="rankings.dispatch", imported="rankings.tasks") is None


@pytest.mark.parametrize(("importer", "imported"), [
    ("rankings.services.uncertainty", "rankings.services.runs"),
    ("rankings.services.publishing", "rankings.services.runs"),
    ("rankings.services.publishing", "rankings.services.uncertainty"),
    ("rankings.selectors", "rankings.services"),
    ("rankings.selectors", "rankings.presentation"),
    ("rankings.services", "rankings.presentation"),
])
def test_the_rankings_modules_import_one_way_with_no_circle(graph, importer, imported):
    assert graph.find_shortest_chain(importer=importer, imported=imported, as_packages=True) is None


def test_no_service_hides_an_import_inside_a_function():
    """Imports inside functions are how the old circle was held together; a service has none."""
    for path in sorted((ROOT / "rankings" / "services").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                nested = [inner for inner in ast.walk(node) if isinstance(inner, ast.Import | ast.ImportFrom)]
                assert not nested, f"{path.name}: {node.name} imports inside its body"


def test_the_builtin_scheme_migration_holds_its_documents_as_literal_data_and_imports_no_app_code():
    tree = ast.parse(MIGRATION.read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == {"django.db"}
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    attributes = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert not {"open", "Path", "__file__"} & names and not {"read_text", "glob", "safe_load"} & attributes
    [documents] = [node.value for node in tree.body if isinstance(node, ast.Assign)
                   and any(isinstance(target, ast.Name) and target.id == "DOCUMENTS" for target in node.targets)]
    assert sorted(document["slug"] for document in ast.literal_eval(documents)) == sorted(FROZEN)


@pytest.mark.django_db
def test_migrating_a_fresh_database_installs_the_frozen_documents_with_shifan_2012_the_default():
    schemes = ScoringScheme.objects.filter(builtin=True)
    hashes = {scheme.slug: hashlib.sha256(json.dumps(scheme.document, sort_keys=True, ensure_ascii=False)
                                          .encode()).hexdigest() for scheme in schemes}
    assert hashes == FROZEN
    assert {scheme.slug: (scheme.version, scheme.is_default) for scheme in schemes} == {
        slug: (1, slug == "shifan-2012") for slug in FROZEN}
