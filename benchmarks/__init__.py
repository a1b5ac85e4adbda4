"""Reproducible benchmarks of connectome-motifs against igraph, networkx and NetworKit."""
