"""The front door over HTTP: the web app (:mod:`.app`, routes per page family in
:mod:`.routes`, shared request handling in :mod:`.site`) and the program's JSON API
(:mod:`.api`)."""
