"""Small statistics helpers."""


def mean(values):
    """The arithmetic mean of a non-empty list."""
    return sum(values) / len(values)


def variance(values):
    """The population variance of a non-empty list."""
    m = mean(values)
    return sum((x - m) ** 2 for x in values) / len(values)


def median(values):
    """The middle value of a non-empty list."""
    
