"""Model answers to the exercises, one file per exercise, named as the exercise files."""
