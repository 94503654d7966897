"""The built-in scoring schemes, shifan-2012 being the default: the documents as they were when this
migration was written (the files rankings/builtin_schemes/*.yaml, validated and normalised by the scoring
engine of that day), frozen here as literal data.

A migration is history: it imports no app code and reads no file, so a later edit of a YAML file or of
the scheme rules can never change, or break, what migrating a fresh database installs. A changed file
reaches a database through `manage.py load_scheme FILE` (or setup_demo, which reloads the built-in
files): the scheme then gets a new version, while runs keep the version they used.
"""
from django.db import migrations

DEFAULT_SLUG = "shifan-2012"

DOCUMENTS = [{'slug': 'bci-v1',
  'name': '清博指数 BCI（第1版）',
  'name_en': 'GSDATA BCI (version 1)',
  'description': '清博BCI第1版：BCI = (0.2×活跃度 + 0.8×传播度) × 160，活跃度 = ln(发博数+1)，传播度 = 0.4 ln(转发数+1) + 0.4 '
                 'ln(评论数+1) + 0.2 ln(点赞数+1)，不做标准化。',
  'description_en': 'BCI只评价账号；城市得分取该市BCI最高的三个账号的平均值（不足三个则取全部），这是本系统的选择，不是清博的。 GSDATA BCI version 1, exactly: '
                    'BCI = (0.2 W1 + 0.8 W2) × 160 with W1 (activity) = ln(posts + 1) and W2 (spread) = 0.4 '
                    'ln(reposts + 1) + 0.4 ln(comments + 1) + 0.2 ln(likes + 1), no normalisation. Counts '
                    'are period totals, so BCIs of periods of different lengths are not comparable. BCI '
                    "scores accounts only: the city score, the mean BCI of the city's best three accounts "
                    "(all of them if it has fewer), is this system's choice, so that one star account does "
                    'not make a city and many idle ones do not sink it.',
  'indicators': [{'key': 'activity',
                  'label': '活跃度',
                  'label_en': 'Activity',
                  'expr': 'log1p(posts)',
                  'normalize': 'none',
                  'weight': 0.2},
                 {'key': 'spread',
                  'label': '传播度',
                  'label_en': 'Spread',
                  'expr': '0.4 * log1p(reposts) + 0.4 * log1p(comments) + 0.2 * log1p(likes)',
                  'normalize': 'none',
                  'weight': 0.8}],
  'group_by_category': False,
  'account_to_city': 'top3_mean',
  'missing_category': 'zero',
  'aggregation': 'arithmetic',
  'weighting': 'manual',
  'scale': 160.0,
  'custom_metrics': [],
  'uncertainty': {'draws': 0, 'spread': 0.25, 'seed': 0, 'normalizations': []}},
 {'slug': 'bci-v2',
  'name': '清博指数 BCI（第2版）',
  'name_en': 'GSDATA BCI (version 2)',
  'description': '清博BCI第2版，加入原创内容：活跃度 = 0.3 ln(发博数+1) + 0.7 ln(原创数+1)，传播度 = 0.2 ln(转发数+1) + 0.2 ln(评论数+1) + '
                 '0.25 ln(原创转发数+1) + 0.25 ln(原创评论数+1) + 0.1 ln(点赞数+1)。这些权重只见于公开代码，未经核实。',
  'description_en': 'GSDATA BCI version 2: W1 = 0.3 ln(posts + 1) + 0.7 ln(original_posts + 1); W2 = 0.2 '
                    'ln(reposts + 1) + 0.2 ln(comments + 1) + 0.25 ln(original_reposts + 1) + 0.25 '
                    'ln(original_comments + 1) + 0.1 ln(likes + 1); BCI = (0.2 W1 + 0.8 W2) × 160. These '
                    'weights were seen only in public code and are unverified; edit them here if better '
                    'sources turn up. An account without original-post counts has them read as 0 (and the '
                    "run reports it). City score: the mean of the city's best three accounts, as in bci-v1 "
                    "(this system's choice).",
  'indicators': [{'key': 'activity',
                  'label': '活跃度',
                  'label_en': 'Activity',
                  'expr': '0.3 * log1p(posts) + 0.7 * log1p(original_posts)',
                  'normalize': 'none',
                  'weight': 0.2},
                 {'key': 'spread',
                  'label': '传播度',
                  'label_en': 'Spread',
                  'expr': '0.2 * log1p(reposts) + 0.2 * log1p(comments) + 0.25 * log1p(original_reposts) + '
                          '0.25 * log1p(original_comments) + 0.1 * log1p(likes)',
                  'normalize': 'none',
                  'weight': 0.8}],
  'group_by_category': False,
  'account_to_city': 'top3_mean',
  'missing_category': 'zero',
  'aggregation': 'arithmetic',
  'weighting': 'manual',
  'scale': 160.0,
  'custom_metrics': [],
  'uncertainty': {'draws': 0, 'spread': 0.25, 'seed': 0, 'normalizations': []}},
 {'slug': 'rmw-2023',
  'name': '政务微博影响力（人民网式，2023）',
  'name_en': "Government microblog influence (People's Daily Online style, 2023)",
  'description': '仿人民网舆情数据中心《政务微博影响力报告》：传播力0.30、服务力0.35、互动力0.35。账号层面的子权重未公布，此处的公式是本系统的近似；认同度需要调查数据，未纳入。',
  'description_en': "After the People's Daily Online and Weibo influence report: reach 0.30, service 0.35, "
                    'interaction 0.35, the weights that fit the 2023 Q3 city competitiveness index exactly '
                    "(derived by regression, not published). The account-level formulas are this system's "
                    "approximation (the report's are unpublished): reach from fans and reposts (raw fans, as "
                    'active and trusted fans are not in the data); service from replies, counted in full '
                    "when the account answers its comments; interaction with the account's own replies "
                    'weighing more than the comments and likes it receives. Recognition (认同度) needs survey '
                    'data and is left out. Cities take the mean of their accounts; as the mean and the '
                    'weighted sum are both linear, this equals combining city-level dimension scores '
                    '0.30/0.35/0.35 as the 2023 Q3 index does.',
  'indicators': [{'key': 'reach',
                  'label': '传播力',
                  'label_en': 'Reach',
                  'expr': '0.5 * log1p(fans) + 0.5 * log1p(reposts)',
                  'normalize': 'minmax',
                  'weight': 0.3},
                 {'key': 'service',
                  'label': '服务力',
                  'label_en': 'Service',
                  'expr': 'log1p(replies) * (0.5 + 0.5 * clip(replies / max(comments, 1), 0, 1))',
                  'normalize': 'minmax',
                  'weight': 0.35},
                 {'key': 'interaction',
                  'label': '互动力',
                  'label_en': 'Interaction',
                  'expr': 'log1p(2 * replies + comments + 0.5 * likes)',
                  'normalize': 'minmax',
                  'weight': 0.35}],
  'group_by_category': False,
  'account_to_city': 'mean',
  'missing_category': 'zero',
  'aggregation': 'arithmetic',
  'weighting': 'manual',
  'scale': 1.0,
  'custom_metrics': [],
  'uncertainty': {'draws': 0, 'spread': 0.25, 'seed': 0, 'normalizations': []}},
 {'slug': 'shifan-2012',
  'name': '政务微博示范奖 (2012)',
  'name_en': 'Government microblog model award (2012)',
  'description': '按2012年城市网络形象排行榜“政务微博示范奖”的思路评价城市：在公安、交警、发布、团委、旅游五类政务微博中，分别衡量粉丝量、发博积极性、博文质量和转评总量。报道只列出这四项指标，没有公布权重，因此四项各取0.25、五类各取0.2；原评选还结合了专家和网民意见，此处不含。',
  'description_en': 'Rebuilds the 2012 government-microblog model award: within each of five categories '
                    '(police, traffic police, press release, youth league, tourism) accounts are scored on '
                    'fans, posting activity, post quality and total reposts and comments. The article names '
                    'these four indicators but publishes no weights, so each gets 0.25 and each category 0.2 '
                    '(assumed, not published). The award also drew on expert and netizen opinion, which no '
                    "formula reproduces. A city's score in a category is its best account's; a city with no "
                    'account in a category scores 0 there.',
  'indicators': [{'key': 'fans',
                  'label': '粉丝量',
                  'label_en': 'Fans',
                  'expr': 'log1p(fans)',
                  'normalize': 'minmax',
                  'weight': 0.25},
                 {'key': 'activity',
                  'label': '发博积极性',
                  'label_en': 'Posting activity',
                  'expr': 'log1p(posts / days) * (0.5 + 0.5 * original_posts / max(posts, 1))',
                  'normalize': 'minmax',
                  'weight': 0.25},
                 {'key': 'quality',
                  'label': '博文质量',
                  'label_en': 'Post quality',
                  'expr': 'log1p((reposts + comments + likes) / max(posts, 1))',
                  'normalize': 'minmax',
                  'weight': 0.25},
                 {'key': 'engagement',
                  'label': '转评总量',
                  'label_en': 'Total reposts and comments',
                  'expr': 'log1p(reposts + comments)',
                  'normalize': 'minmax',
                  'weight': 0.25}],
  'group_by_category': True,
  'category_weights': {'police': 0.2, 'traffic': 0.2, 'press': 0.2, 'youth': 0.2, 'tourism': 0.2},
  'account_to_city': 'max',
  'missing_category': 'zero',
  'aggregation': 'arithmetic',
  'weighting': 'manual',
  'scale': 1.0,
  'custom_metrics': [],
  'uncertainty': {'draws': 1000, 'spread': 0.25, 'seed': 2012, 'normalizations': ['minmax', 'rank']}}]


def create_builtin_schemes(apps, schema_editor):
    scoring_scheme = apps.get_model("rankings", "ScoringScheme")
    for document in DOCUMENTS:
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
