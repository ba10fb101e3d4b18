"""Run by pytest for the whole suite, notebooks included."""


def pytest_xdist_make_scheduler(config, log):
    """Share tests out one by one as workers free up, except a notebook's cells: they run in order
    in one kernel, so each notebook goes to one worker whole. (pytest-xdist's own loadgroup can't
    group them: it renames items through an attribute pytest 9 no longer reads.)"""
    from xdist.scheduler import LoadScopeScheduling

    class NotebooksWhole(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            path = nodeid.split("::")[0]
            return path if path.endswith(".ipynb") else nodeid

    return NotebooksWhole(config, log)


def pytest_configure(config):
    """One folder of kept training runs for the whole test run (its workers, and the kernels that
    nbval, JupyterLab and Voila start, all read the environment): see nbcourse.fast.CACHE."""
    import os
    import tempfile

    if "NBCOURSE_TRAINING_CACHE" in os.environ:  # a worker (the controller set it) or the user
        return
    config.training_cache = tempfile.mkdtemp(prefix="nbcourse-runs-")
    os.environ["NBCOURSE_TRAINING_CACHE"] = config.training_cache


def pytest_unconfigure(config):
    """The process that made the folder (the controller) removes it at the end."""
    import shutil

    if hasattr(config, "training_cache"):
        shutil.rmtree(config.training_cache, ignore_errors=True)


def pytest_collection_modifyitems(items):
    """The notebooks first, the last lessons (the longest: 04b trains 224M rectangles) first of all,
    so that no long notebook is left running alone at the end while the other worker idles."""
    notebooks = sorted((item for item in items if item.path.suffix == ".ipynb"),
                       key=lambda item: item.path.name, reverse=True)
    order = {id(item): place for place, item in enumerate(notebooks)}
    items.sort(key=lambda item: order.get(id(item), len(order)))
