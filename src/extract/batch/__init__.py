"""Running the pipeline over many documents (local processes now, Ray later)."""
