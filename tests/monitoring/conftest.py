from process.conftest import driver, process_app  # noqa: F401  (shared fixtures)
