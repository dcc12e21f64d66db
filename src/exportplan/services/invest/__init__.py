"""The investment pipeline (issue 19): projects through their stages with gate checks
(:mod:`.projects`, :mod:`.gates`), the imports (:mod:`.imports`), the funnel, enquiry service,
follow-up and outcome figures (:mod:`.figures`) and the demo's mining pipeline (:mod:`.demo`)."""
