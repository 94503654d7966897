"""Candidate.province and Expert.province become ForeignKey(Province, to_field="name", db_column="province")
once 0003 has mapped them to canonical names (see 0003)."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_city_province_foreign_key"),
        ("awards", "0003_province"),
    ]

    operations = [
        migrations.AlterField(
            model_name="candidate",
            name="province",
            field=models.ForeignKey(db_column="province", on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="accounts.province", to_field="name",
                                    verbose_name="province"),
        ),
        migrations.AlterField(
            model_name="expert",
            name="province",
            field=models.ForeignKey(db_column="province", on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="accounts.province", to_field="name",
                                    verbose_name="home province"),
        ),
        migrations.AlterField(
            model_name="historicalcandidate",
            name="province",
            field=models.ForeignKey(blank=True, db_column="province", db_constraint=False, null=True,
                                    on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                                    to="accounts.province", to_field="name", verbose_name="province"),
        ),
        migrations.AlterField(
            model_name="historicalexpert",
            name="province",
            field=models.ForeignKey(blank=True, db_column="province", db_constraint=False, null=True,
                                    on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                                    to="accounts.province", to_field="name", verbose_name="home province"),
        ),
    ]
