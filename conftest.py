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
