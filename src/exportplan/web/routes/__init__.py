"""The web app's routes, one module per page family; each module's ``router(site)`` returns
its routes over the app's :class:`~exportplan.web.site.Site`."""
