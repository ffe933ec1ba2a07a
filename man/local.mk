# Hand-written roff pages, shipped in the tarball.
