"""The award's roles as Django groups: 分析员 analyst (read only), 评审专家 expert (own scores only),
评审管理员 panel admin (rounds, experts, all entry). Superusers need no group.

Group names are Chinese, as the users know them; awards.permissions names each role's permissions.
"""
from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

AWARD_MODELS = ("awardround", "candidate", "expert", "expertscore", "netizentally", "roundresult")
READ_ONLY_OTHER = {
    "rankings": ("scoringscheme", "scorerun", "accountscore", "citycategoryscore", "cityscore"),
    "accounts": ("city", "govaccount", "snapshot", "snapshotimport"),
}
ROLES = {
    "分析员": [("awards", f"view_{model}") for model in AWARD_MODELS]
    + [(app, f"view_{model}") for app, models in READ_ONLY_OTHER.items() for model in models],
    "评审专家": [("awards", "score_rounds")],
    "评审管理员": [("awards", "manage_rounds")]
    + [("awards", f"{action}_{model}") for model in AWARD_MODELS for action in ("add", "change", "delete", "view")]
    + [("rankings", "view_scorerun"), ("rankings", "view_cityscore"), ("rankings", "view_accountscore")],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_label in ("accounts", "rankings", "awards"):
        create_permissions(global_apps.get_app_config(app_label), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in codenames:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0001_initial"),
        ("accounts", "0002_importjob"),
        ("rankings", "0002_builtin_schemes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
