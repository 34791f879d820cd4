"""``python -m periodize``: the same command line as the ``periodize`` script, for environments
where the script is not on PATH (a venv not activated, ``pip install --user``)."""

from periodize.cli.entry import main

if __name__ == "__main__":
    main()
