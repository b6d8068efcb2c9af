"""The wire desk: agency copy in IPTC ninjs comes in as draft articles, and ours goes out."""
