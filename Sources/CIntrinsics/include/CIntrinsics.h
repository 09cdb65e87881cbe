#ifndef LAKETAP_INTRINSICS_H
#define LAKETAP_INTRINSICS_H

/// CPU instructions Swift has no spelling for, as `static inline` functions its callers inline.

/// Asks the CPU to bring the cache line holding `address` into its caches without waiting for it. A hint:
/// it never faults, whatever the address.
static inline void laketap_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
