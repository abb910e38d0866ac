"""Root conftest: the shared fixtures live in one plugin, tests/fixtures_plugin.py."""
pytest_plugins = ["fixtures_plugin"]
