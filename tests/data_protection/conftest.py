from letters.conftest import driver, letters_app  # noqa: F401  (shared fixtures: the shipped process, an office)
