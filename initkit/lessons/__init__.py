"""The pure step functions behind each notebook's widget and exercises (no matplotlib, no ipywidgets):
the explorer, the playground, symmetry, LSUV's batch size, the digits trainer, and the exercise checks."""
