"""Front doors over HTTP: the program's JSON API (:mod:`.api`)."""
