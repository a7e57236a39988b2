"""Who may use MyeloPath and how they prove it: the roles and their permissions (``roles``),
the authentication backend (``auth``), the second factor (``second_factor``), the login and
two-factor pages (``views``), API tokens (``models``) and the commands that create users."""
