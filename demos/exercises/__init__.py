"""Classroom exercises on backpropagation, each checked by a program.

Each `exN_*.py` file here is one exercise: its docstring explains the task and the math you need,
and the places marked TODO are yours to fill in. Then ask the checker:

    python -m demos.exercises list              # the exercises, in the suggested order
    python -m demos.exercises check 1           # PASS, or exactly what is still wrong
    python -m demos.exercises check all         # every exercise, and "k of 11 done"
    python -m demos.exercises reset 1           # the blank again; your version is kept as .bak
    python -m demos.exercises copy DIR          # blank copies in DIR, to work outside the repo;
    python -m demos.exercises check 1 --dir DIR #   then check (and reset) them there
    python -m demos.exercises check 1 --solution  # (teachers) check the model answer instead
    python -m demos.exercises grade CLASS_DIR   # (teachers) a whole class: a table and a CSV

Exercise 1 first, then the two at the heart of the course: 10 (a node's _backward, micrograd's
way) and 11 (backward() itself); then 3, 2, 4, 5, 6; 7 to 9 are extras. The blanks are in
`blanks/`, the model answers in `solutions/`, under the same file names. Each check runs your file
in its own Python process with a time limit (see `sandbox.py`); docs/teaching.md is the teacher's
guide.
"""
