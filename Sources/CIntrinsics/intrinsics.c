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

int laketap_json_string_runs_supported(void) {
    static int supported = -1;
    if (supported < 0) supported = laketap_has_avx512_vbmi2();
    return supported;
}

__attribute__((target("avx512f,avx512bw,avx512vbmi2,popcnt,bmi")))
size_t laketap_json_string_run(const uint8_t *source, size_t count, uint8_t *destination, size_t *written) {
    const __m512i quote = _mm512_set1_epi8('"');
    const __m512i backslash = _mm512_set1_epi8('\\');
    const __m512i space = _mm512_set1_epi8(0x20);
    size_t read = 0, out = 0;
    while (read < count) {
        size_t left = count - read;
        uint64_t valid = left >= 64 ? ~0ULL : (1ULL << left) - 1;
        __m512i block = _mm512_maskz_loadu_epi8(valid, source + read);
        uint64_t quotes = _mm512_cmpeq_epi8_mask(block, quote);
        uint64_t backslashes = _mm512_cmpeq_epi8_mask(block, backslash);
        // A backslash whose next byte in the block is a quote: `\"`. One in the block's last byte is
        // not (its quote, if any, is in the next block) and stops the run.
        uint64_t escapes = backslashes & (quotes >> 1);
        uint64_t stops = (quotes & ~(escapes << 1)) | (backslashes & ~escapes)
            | _mm512_cmplt_epu8_mask(block, space) | (uint64_t)_mm512_movepi8_mask(block) | ~valid;
        size_t run = stops ? (size_t)__builtin_ctzll(stops) : 64;
        uint64_t keep = (run == 64 ? ~0ULL : (1ULL << run) - 1) & ~escapes;
        size_t kept = (size_t)__builtin_popcountll(keep);
        _mm512_mask_storeu_epi8(destination + out, kept == 64 ? ~0ULL : (1ULL << kept) - 1,
                                _mm512_maskz_compress_epi8(keep, block));
        read += run;
        out += kept;
        if (run < 64) break;
    }
    *written = out;
    return read;
}

#else

int laketap_json_string_runs_supported(void) { return 0; }

size_t laketap_json_string_run(const uint8_t *source, size_t count, uint8_t *destination, size_t *written) {
    (void)source; (void)count; (void)destination;
    *written = 0;
    return 0;
}

#endif
