"""Races for the row-lock tests: targets started together in threads, each on its own connection."""

import threading

from django.db import connection

from ansinh.errors import Refused


def in_threads(*targets):
    """Runs the targets at once, one thread each; ("ok", what it returned) or ("refused", the message) per
    target, in the order they finished."""
    results = []

    def run(target):
        try:
            results.append(("ok", target()))
        except Refused as exc:
            results.append(("refused", str(exc)))
        finally:
            connection.close()

    barrier = threading.Barrier(len(targets))
    threads = [threading.Thread(target=lambda t=t: (barrier.wait(), run(t))) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
