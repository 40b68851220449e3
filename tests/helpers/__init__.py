"""What several test modules share: the terminal driver, the rejected answers, git repositories,
canary runners, the live service canaries watch, the matrix of variants and module writers.
A test module imports from here, never from another test module."""
