"""Posts and replies of government accounts, and the content indicators measured from them (issue 20)."""
