#ifndef LAKETAP_SYSCALLS_H
#define LAKETAP_SYSCALLS_H

#include <stdint.h>

/// System calls Swift's Glibc module does not declare (they need `_GNU_SOURCE`).

/// Starts writing back the dirty pages of `count` bytes of `descriptor` at `offset` without waiting for
/// them (Linux `sync_file_range` with `SYNC_FILE_RANGE_WRITE`), so a later `fsync` has less left to wait
/// for. A hint: 0 where it did nothing, -1 with `errno` on failure, which callers may ignore.
int laketap_start_writeback(int descriptor, int64_t offset, int64_t count);

/// The `O_DIRECT` open flag (0 where the system has none): writes go from the caller's buffer to the
/// device, past the page cache, when buffer address, length and file offset are block-aligned.
int laketap_direct_flag(void);

/// Turns `O_DIRECT` off for `descriptor`, for a file system that refuses direct writes after opening;
/// 0, or -1 with `errno`.
int laketap_clear_direct(int descriptor);

#endif
