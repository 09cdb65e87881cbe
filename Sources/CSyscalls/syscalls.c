// Defined before any system header, for the declarations glibc keeps behind it.
#define _GNU_SOURCE
#include "CSyscalls.h"

#include <fcntl.h>

int laketap_start_writeback(int descriptor, int64_t offset, int64_t count) {
#if defined(__linux__)
    return sync_file_range(descriptor, offset, count, SYNC_FILE_RANGE_WRITE);
#else
    (void)descriptor; (void)offset; (void)count;
    return 0;
#endif
}

int laketap_direct_flag(void) {
#if defined(O_DIRECT)
    return O_DIRECT;
#else
    return 0;
#endif
}

int laketap_clear_direct(int descriptor) {
#if defined(O_DIRECT)
    int flags = fcntl(descriptor, F_GETFL);
    if (flags < 0) return -1;
    return fcntl(descriptor, F_SETFL, flags & ~O_DIRECT);
#else
    (void)descriptor;
    return 0;
#endif
}
