// ArchSpec helpers live in hierarchy.cpp next to the flattening.
