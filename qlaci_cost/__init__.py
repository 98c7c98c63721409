"""qlaci-cost."""
