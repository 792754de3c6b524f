"""Classroom exercises on backpropagation, each checked by a program.

Each `exN_*.py` file here is one exercise: its docstring explains the task and the math you need,
and the places marked TODO are yours to fill in. Then ask the checker:

    python -m demos.exercises list              # the exercises, easiest first
    python -m demos.exercises check 1           # PASS, or exactly what is still wrong
    python -m demos.exercises check all         # every exercise, and "k of 9 done"
    python -m demos.exercises reset 1           # the blank again; your version is kept as .bak
    python -m demos.exercises copy DIR          # blank copies in DIR, to work outside the repo;
    python -m demos.exercises check 1 --dir DIR #   then check (and reset) them there
    python -m demos.exercises check 1 --solution  # (teachers) check the model answer instead

Exercises 1 to 6 go from easy to harder; 7 to 9 are extras. Model answers live in `solutions/`,
under the same file names.
"""
