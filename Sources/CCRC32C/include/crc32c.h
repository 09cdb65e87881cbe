#ifndef LAKETAP_CRC32C_H
#define LAKETAP_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// CRC-32C (Castagnoli), the checksum of the write-ahead log's entries: SSE4.2 `crc32` instructions
/// when the CPU has them, a table otherwise. `crc` is the running value (0 to start).
uint32_t laketap_crc32c(uint32_t crc, const void *bytes, size_t count);

#endif
