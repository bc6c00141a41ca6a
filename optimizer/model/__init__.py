"""PuLP model builders (one of the two subpackages that import PuLP) and the map back to foods and doses."""
