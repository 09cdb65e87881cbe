#ifndef LAKETAP_INTRINSICS_H
#define LAKETAP_INTRINSICS_H

#include <stddef.h>
#include <stdint.h>

/// CPU instructions Swift has no spelling for: `static inline` functions its callers inline, and
/// functions compiled in `intrinsics.c` for CPU features the rest of the build does not assume.

/// Asks the CPU to bring the cache line holding `address` into its caches without waiting for it. A hint:
/// it never faults, whatever the address.
static inline void laketap_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Whether ``laketap_json_string_run`` can run here: an x86-64 CPU with AVX-512 (F, BW, VBMI2) that the
/// operating system saves the state of. Checked once.
int laketap_json_string_runs_supported(void);

/// Copies the plain run at the start of a JSON string's body, `count` bytes at `source`, to
/// `destination` with the backslash of each `\"` removed (the embedded-JSON escape), 64 bytes a step.
/// Stops before the first byte the scanner must look at itself: the closing quote, a backslash not
/// followed by a quote, a control character below 0x20, a non-ASCII byte, or the end of the bytes.
/// Returns the bytes read and sets `*written` to the bytes written (fewer when it removed escapes);
/// writes no byte past `destination + *written`. Call only where
/// ``laketap_json_string_runs_supported`` says so.
size_t laketap_json_string_run(const uint8_t *source, size_t count, uint8_t *destination, size_t *written);

#endif
