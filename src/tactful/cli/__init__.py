"""The ``tactful`` command line: thin Typer commands over the application's use cases."""
