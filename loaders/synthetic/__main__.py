"""``python -m loaders.synthetic``: see ``loaders.synthetic.cli``."""

from .cli import main

main(prog_name="python -m loaders.synthetic")
