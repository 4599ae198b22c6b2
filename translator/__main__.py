"""`python -m translator` runs the same command line as the `translator` script."""
from translator.cli import run

if __name__ == "__main__":
    run()
