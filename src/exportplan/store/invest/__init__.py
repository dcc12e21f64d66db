"""The investment pipeline's program-store tables and their shared reads (issue 19)."""
