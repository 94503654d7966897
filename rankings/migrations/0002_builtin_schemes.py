"""The built-in scoring schemes (rankings/builtin_schemes/*.yaml), shifan-2012 being the default.

The documents are read from the YAML files at migration time and validated by the scoring engine.
A later change to a file reaches an existing database through `manage.py load_scheme FILE` (or
setup_demo, which reloads the built-in files): the scheme then gets a new version, while runs keep the
version they used.
"""
from pathlib import Path

import yaml
from django.db import migrations

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "builtin_schemes"
DEFAULT_SLUG = "shifan-2012"


def create_builtin_schemes(apps, schema_editor):
    from rankings.scoring.schemes import Scheme

    scoring_scheme = apps.get_model("rankings", "ScoringScheme")
    for path in sorted(BUILTIN_DIR.glob("*.yaml")):
        document = Scheme.from_document(yaml.safe_load(path.read_text(encoding="utf-8"))).to_document()
        scoring_scheme.objects.update_or_create(
            slug=document["slug"],
            defaults={"name": document["name"], "document": document, "builtin": True,
                      "is_default": document["slug"] == DEFAULT_SLUG},
        )


def remove_builtin_schemes(apps, schema_editor):
    apps.get_model("rankings", "ScoringScheme").objects.filter(builtin=True, runs__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("rankings", "0001_initial")]
    operations = [migrations.RunPython(create_builtin_schemes, remove_builtin_schemes)]
