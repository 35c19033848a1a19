# nbgrader reads this file from the directory it runs in. The course's collapsed example cells are whole
# nbgrader solution regions (### BEGIN SOLUTION ... ### END SOLUTION, cell metadata nbgrader.solution):
# with this stub, `nbgrader generate_assignment` leaves a comment where each was (nbgrader's default stub,
# `raise NotImplementedError()`, would stop Run All there). tools/student.py (`make student`) uses the same
# stub and also drops those comment-only cells.
c = get_config()  # noqa: F821 (nbgrader provides it)
c.ClearSolutions.code_stub = {"python": "# The example solution is not part of the student release."}
