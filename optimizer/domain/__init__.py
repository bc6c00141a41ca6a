"""The request side: who the plan is for, what they ask, their targets and the magnesium–vitamin D rule."""
