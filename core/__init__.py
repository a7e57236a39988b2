"""Infrastructure every app may use, that knows no app: optimistic locking (``locking``) and the
read-only history admin (``admin``). It imports Django and its libraries only, never an app of
MyeloPath (tests/test_layout.py), so ``regimens`` uses it without reaching into ``patients``."""
