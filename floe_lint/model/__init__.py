"""The model: refs, the governance hierarchy, products and transforms."""
