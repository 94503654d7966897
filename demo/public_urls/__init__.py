"""Every public URL of the site for the demo data, recorded and compared (manage.py public_urls).

A refactor must leave what an anonymous visitor and an anonymous REST client read unchanged, byte for
byte. This package lists those URLs from the URLconf and the database (catalogue, fillers_pages,
fillers_api), fetches each with django.test.Client in both languages (recording), and compares two
recordings (comparing). See demo/management/commands/public_urls.py for the procedure.
"""
