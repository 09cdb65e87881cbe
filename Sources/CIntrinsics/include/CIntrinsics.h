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

/// The bytes ``laketap_json_string_run`` takes a step, set before `main` runs: 64 on an x86-64 CPU with
/// AVX-512 (F, BW, VBMI2), 32 with AVX2 and BMI2 (not an AMD CPU before Zen 3, whose PEXT is slow), where
/// the operating system saves the state; 0 when the run cannot run here. Read it through
/// ``laketap_json_string_run_step``.
extern int laketap_json_string_run_width;

/// ``laketap_json_string_run_width`` as one load: for the scanner's path, where a Swift `static let`
/// would call the runtime's once-check every time.
static inline int laketap_json_string_run_step(void) {
    return laketap_json_string_run_width;
}

/// Copies the plain run at the start of a JSON string's body, `count` bytes at `source`, to
/// `destination` with the backslash of each `\"` removed (the embedded-JSON escape), a step of
/// ``laketap_json_string_run_step`` bytes at a time; a backslash in a step's last byte stops it (its
/// quote is in the next step). Stops before the first byte the scanner must look at itself: the closing
/// quote, a backslash not followed by a quote, a control character below 0x20, a non-ASCII byte, or the
/// end of the bytes; with 32-byte steps also where fewer than 32 bytes are left. Returns the bytes read
/// and sets `*written` to the bytes written (fewer when it removed escapes). With 64-byte steps it
/// writes no byte past `destination + *written`; with 32-byte steps it may write past that, never past
/// `destination + count`. Call only where ``laketap_json_string_run_step`` is not 0.
size_t laketap_json_string_run(const uint8_t *source, size_t count, uint8_t *destination, size_t *written);

/// One zstd Huffman stream (RFC 8878 §4.2.1) of `count` hex digits, `letters` 'a' or 'A' for their case,
/// under the code that gives each of the 16 digits its 4-bit value: the symbols from the last to the
/// first, two a byte, then the end mark. Writes `count / 2 + 1` bytes to `stream` and returns that, or
/// -1 when a byte is not a digit of that case (the stream is then garbage).
ptrdiff_t laketap_hex_huffman_stream(const uint8_t *literals, size_t count, uint8_t letters, uint8_t *stream);

#endif
