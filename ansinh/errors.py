"""The one refusal type of the portal's services and workflows."""


class Refused(Exception):
    """An operation the portal will not carry out; the message is Vietnamese and shown to the person as is.

    Services and workflows raise it (never `request`-bound errors); views turn it into a form error or a
    flash message. Nothing has been written when it is raised inside the service's transaction."""
