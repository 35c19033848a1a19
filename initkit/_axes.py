"""The one matplotlib helper the plot modules share."""


def get_axes(ax, figsize=(5, 3.2)):
    """``ax`` itself, or the axes of a new figure of ``figsize``."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=figsize)[1]
