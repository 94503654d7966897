"""City.province becomes ForeignKey(Province, to_field="name", db_column="province") once 0003 has mapped
every city's province to its canonical name (see 0003): the column keeps its name and its text."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_province"),
    ]

    operations = [
        migrations.AlterField(
            model_name="city",
            name="province",
            field=models.ForeignKey(db_column="province", on_delete=django.db.models.deletion.PROTECT,
                                    related_name="cities", to="accounts.province", to_field="name",
                                    verbose_name="province"),
        ),
    ]
