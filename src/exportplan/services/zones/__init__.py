"""Industrial zones (issue 18): zones and plots, the applications' way to a contract, the
idle-plot procedure, the imports, the pace figures and the outcome in exports."""

from exportplan.services.zones.land import create_zone, set_status, zone_change

__all__ = ["create_zone", "set_status", "zone_change"]
