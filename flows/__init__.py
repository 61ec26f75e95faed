"""survwatch application: CLI, Prefect flows and the I/O around the nlp and warehouse libraries."""
