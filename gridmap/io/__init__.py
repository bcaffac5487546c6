"""Import and export of files (shapefile, GeoPackage, GeoJSON, CSV); all file I/O lives here."""
