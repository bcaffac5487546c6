"""The grid editor: paint unit grids between responsibility grids, edit unit grid boundaries."""
