// What cannot be `static inline` in the header: code compiled for CPU features the rest of the build
// does not assume, and the check that they are present.
#include "CIntrinsics.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

static int laketap_has_avx512_vbmi2(void) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & bit_OSXSAVE)) return 0;
    // The OS saves the SSE, AVX and AVX-512 (opmask, upper ZMM, high ZMM) state: XCR0 bits 1, 2, 5, 6, 7.
    unsigned xcr0_low, xcr0_high;
    __asm__("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    if ((xcr0_low & 0xE6) != 0xE6) return 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    int foundation = (ebx >> 16) & 1, bytesAndWords = (ebx >> 30) & 1, vbmi2 = (ecx >> 6) & 1;
    return foundation && bytesAndWords && vbmi2;
}

/// AVX2 and BMI2, and not an AMD CPU before Zen 3 (family 0x19), which runs PEXT and PDEP in microcode.
static int laketap_has_avx2_bmi2(void) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & bit_OSXSAVE) || !(ecx & bit_AVX)) return 0;
    unsigned family = ((eax >> 8) & 0xF) + ((eax >> 20) & 0xFF);
    // The OS saves the SSE and AVX state: XCR0 bits 1 and 2.
    unsigned xcr0_low, xcr0_high;
    __asm__("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    if ((xcr0_low & 0x6) != 0x6) return 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    if (!((ebx >> 5) & 1) || !((ebx >> 8) & 1)) return 0;
    unsigned vendor_ebx;
    __get_cpuid(0, &eax, &vendor_ebx, &ecx, &edx);
    int amd = vendor_ebx == 0x68747541; // "Auth" of "AuthenticAMD"
    return !amd || family >= 0x19;
}

/// From a step's masks (bit i for byte i): the bytes that stop a run, a quote that is not the second byte
/// of `\"`, a backslash that does not start one (also in the step's last byte, whose quote would be in the
/// next step) or a byte of `others`; `*escapes` gets the backslashes of the `\"`s, which a copy drops.
static inline uint64_t laketap_string_stops(uint64_t quotes, uint64_t backslashes, uint64_t others,
                                            uint64_t *escapes) {
    *escapes = backslashes & (quotes >> 1);
    return (quotes & ~(*escapes << 1)) | (backslashes & ~*escapes) | others;
}

/// ``laketap_string_stops`` as a run: its length, `width` when nothing stops it, and in `*keep` the run's
/// bytes to copy.
static inline size_t laketap_string_run_length(uint64_t quotes, uint64_t backslashes, uint64_t others,
                                               size_t width, uint64_t *keep) {
    uint64_t escapes;
    uint64_t stops = laketap_string_stops(quotes, backslashes, others, &escapes);
    size_t run = stops ? (size_t)__builtin_ctzll(stops) : width;
    *keep = (run == 64 ? ~0ULL : (1ULL << run) - 1) & ~escapes;
    return run;
}

int laketap_json_string_run_width = 0;

// Before main: the scanner reads the width as a plain load (laketap_json_string_run_step), with no
// once-check on its path.
__attribute__((constructor)) static void laketap_detect_string_runs(void) {
    laketap_json_string_run_width = laketap_has_avx512_vbmi2() ? 64 : laketap_has_avx2_bmi2() ? 32 : 0;
}

/// Whole 64-byte steps run with a branch on "nothing stops here" and a constant advance, so the next
/// step's load does not wait for this step's masks (the CPU runs ahead on the predicted branch); the
/// step that stops, and the tail under 64 bytes (a masked load), end the run.
__attribute__((target("avx512f,avx512bw,avx512vbmi2,popcnt,bmi")))
static size_t laketap_json_string_run_avx512(const uint8_t *source, size_t count, uint8_t *destination, size_t *written) {
    const __m512i quote = _mm512_set1_epi8('"');
    const __m512i backslash = _mm512_set1_epi8('\\');
    const __m512i space = _mm512_set1_epi8(0x20);
    size_t read = 0, out = 0;
    for (;;) {
        size_t left = count - read;
        uint64_t valid = left >= 64 ? ~0ULL : (1ULL << left) - 1;
        __m512i block = _mm512_maskz_loadu_epi8(valid, source + read);
        uint64_t quotes = _mm512_cmpeq_epi8_mask(block, quote);
        uint64_t backslashes = _mm512_cmpeq_epi8_mask(block, backslash);
        uint64_t others = _mm512_cmplt_epu8_mask(block, space) | (uint64_t)_mm512_movepi8_mask(block) | ~valid;
        uint64_t escapes;
        if (!laketap_string_stops(quotes, backslashes, others, &escapes)) {
            // The whole step is plain: all its bytes but the escapes' backslashes.
            uint64_t keep = ~escapes;
            size_t kept = (size_t)__builtin_popcountll(keep);
            _mm512_mask_storeu_epi8(destination + out, kept == 64 ? ~0ULL : (1ULL << kept) - 1,
                                    _mm512_maskz_compress_epi8(keep, block));
            out += kept;
            read += 64;
            continue;
        }
        uint64_t keep;
        size_t run = laketap_string_run_length(quotes, backslashes, others, 64, &keep);
        size_t kept = (size_t)__builtin_popcountll(keep);
        _mm512_mask_storeu_epi8(destination + out, kept == 64 ? ~0ULL : (1ULL << kept) - 1,
                                _mm512_maskz_compress_epi8(keep, block));
        read += run;
        out += kept;
        break;
    }
    *written = out;
    return read;
}

/// The same run 32 bytes a step with AVX2 compares, each 8-byte word compressed by PEXT with the mask of
/// its kept bytes. Whole steps only: it stops where fewer than 32 bytes are left. Each word's 8 bytes are
/// stored whole at the output's end, which never runs ahead of the input read, so no store passes
/// `destination + count`.
__attribute__((target("avx2,bmi,bmi2,popcnt")))
static size_t laketap_json_string_run_avx2(const uint8_t *source, size_t count, uint8_t *destination, size_t *written) {
    const __m256i quote = _mm256_set1_epi8('"');
    const __m256i backslash = _mm256_set1_epi8('\\');
    const __m256i control = _mm256_set1_epi8(0x1F);
    size_t read = 0, out = 0;
    while (count - read >= 32) {
        __m256i block = _mm256_loadu_si256((const __m256i *)(source + read));
        uint64_t quotes = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(block, quote));
        uint64_t backslashes = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(block, backslash));
        // Bytes up to 0x1F are their own minimum with 0x1F; the sign bits are the non-ASCII bytes.
        uint64_t controls = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(block, control), block));
        uint64_t high = (uint32_t)_mm256_movemask_epi8(block);
        uint64_t keep;
        size_t run = laketap_string_run_length(quotes, backslashes, controls | high, 32, &keep);
        for (size_t word = 0; word < 4 && 8 * word < run; word++) {
            uint64_t bytes;
            __builtin_memcpy(&bytes, source + read + 8 * word, 8);
            uint64_t kept = (keep >> (8 * word)) & 0xFF;
            uint64_t packed = _pext_u64(bytes, _pdep_u64(kept, 0x0101010101010101ULL) * 0xFF);
            __builtin_memcpy(destination + out, &packed, 8);
            out += (size_t)__builtin_popcountll(kept);
        }
        read += run;
        if (run < 32) break;
    }
    *written = out;
    return read;
}

size_t laketap_json_string_run(const uint8_t *source, size_t count, uint8_t *destination, size_t *written) {
    if (laketap_json_string_run_width == 64) return laketap_json_string_run_avx512(source, count, destination, written);
    return laketap_json_string_run_avx2(source, count, destination, written);
}

#else

int laketap_json_string_run_width = 0;

size_t laketap_json_string_run(const uint8_t *source, size_t count, uint8_t *destination, size_t *written) {
    (void)source; (void)count; (void)destination;
    *written = 0;
    return 0;
}

#endif

// The hex digit of `c` in `case_base` ('a' or 'A') plus 9 where `c` is a letter: `c & 0xF` is 0-9 for
// '0'-'9' and 1-6 for 'a'-'f' and 'A'-'F'.
static inline uint8_t laketap_nibble(uint8_t c) { return (uint8_t)((c & 0xF) + 9 * (c >> 6)); }

static inline uint8_t laketap_not_hex(uint8_t c, uint8_t letters) {
    return (uint8_t)(((uint8_t)(c - (uint8_t)0x30) > 9) & ((uint8_t)(c - letters) > 5));
}

ptrdiff_t laketap_hex_huffman_stream(const uint8_t *literals, size_t count, uint8_t letters, uint8_t *stream) {
    uint8_t bad = 0;
    size_t pairs = count / 2;
    // Symbols go in from the last to the first, two a byte, the later one in the low nibble.
    for (size_t k = 0; k < pairs; k++) {
        uint8_t later = literals[count - 1 - 2 * k], earlier = literals[count - 2 - 2 * k];
        bad |= laketap_not_hex(later, letters) | laketap_not_hex(earlier, letters);
        stream[k] = (uint8_t)(laketap_nibble(later) | (laketap_nibble(earlier) << 4));
    }
    if (count & 1) {
        bad |= laketap_not_hex(literals[0], letters);
        stream[pairs] = (uint8_t)(laketap_nibble(literals[0]) | 0x10);
    } else {
        stream[pairs] = 0x01;
    }
    return bad ? -1 : (ptrdiff_t)(pairs + 1);
}
