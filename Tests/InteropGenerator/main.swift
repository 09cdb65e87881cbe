import Parquet

// Writes the interop matrix; filled in with the writer.
