#if canImport(CMalloc)
import CMalloc
#endif

/// glibc malloc settings for a batch conversion, set by `Laketap.main` before the command runs.
enum AllocatorTuning {
    /// Keeps freed page and batch buffers (MiBs each) in the heap for the next page instead of returning
    /// them to the kernel and faulting them in again. With glibc's defaults, buffers above its dynamic
    /// mmap threshold were unmapped on every free: converting 1 GB of logs on one core spent 2.1 s in the
    /// kernel, 0.6 s with these settings, at the same peak RSS (the heap holds what the pages held).
    ///
    /// One arena: each thread's arena would keep its own freed buffers, and with two threads peak RSS
    /// rose from 218–231 to 254–261 MiB on the same conversion. Threads allocate per chunk and per page,
    /// not per record, so they do not wait on the arena's lock (the same wall time measured). Set before
    /// any other thread allocates, or the threads keep the arenas they already have.
    static func forBatchConversion() {
        #if canImport(CMalloc)
        _ = mallopt(M_MMAP_THRESHOLD, 64 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 256 << 20)
        _ = mallopt(M_ARENA_MAX, 1)
        #endif
    }
}
