"""Pictures for the lessons: what the notebooks draw beyond a few lines of matplotlib.

    from nbcourse import plots
    plots.crisp()   # once, at the top of a notebook: sharp plots on high-resolution screens
"""


def crisp():
    """Draw the notebook's matplotlib figures at twice the pixels, shown at their usual size."""
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("retina")
