#if canImport(CMalloc)
import CMalloc
#endif
#if canImport(Glibc)
import Glibc
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
    ///
    /// Then the heap is grown ahead and backed by huge pages (``backHeapWithHugePages()``).
    static func forBatchConversion() {
        #if canImport(CMalloc)
        _ = mallopt(M_MMAP_THRESHOLD, Int32(mmapThreshold))
        _ = mallopt(M_TRIM_THRESHOLD, Int32(trimThreshold))
        _ = mallopt(M_ARENA_MAX, 1)
        backHeapWithHugePages()
        #endif
    }

    /// Allocations from this size up get their own mapping instead of heap memory.
    static let mmapThreshold = 64 << 20
    /// The free memory at the heap's top that malloc keeps before it gives memory back.
    static let trimThreshold = 256 << 20
    /// How far ``backHeapWithHugePages()`` grows the heap: about the most a conversion's buffers take
    /// (peak RSS 110–165 MiB on the 500 MB events benchmark, 210–240 MiB on 1 GB of logs), under
    /// ``trimThreshold``.
    static let hugePageHeap = 192 << 20
    /// The size of a transparent huge page on x86-64, and the alignment its advice needs.
    static let hugePage = 2 << 20

    /// Grows the heap by ``hugePageHeap`` (blocks under ``mmapThreshold`` allocated, then freed: the trim
    /// threshold keeps them in the heap) and asks the kernel to back that range with 2 MiB pages
    /// (`MADV_HUGEPAGE`, which the default `madvise` setting of transparent huge pages waits for). Only
    /// address space is reserved: no page is touched before the conversion's buffers use it.
    ///
    /// A conversion touches each of its 100–240 MiB of page and batch buffers for the first time one 4 KiB
    /// page at a time: 24,000 page faults on the events benchmark and 49,000 on 1 GB of logs, and zstd's
    /// match search over windows of up to 8 MiB misses the TLB of 4 KiB pages. With huge pages the faults
    /// drop to 2,000–3,000 and one-core events takes about 3.5% less time (medians of 20 alternating runs,
    /// 1.145 → 1.105 s) at the same peak RSS. glibc does the like with
    /// `GLIBC_TUNABLES=glibc.malloc.hugetlb=1`, which only the environment the process starts with sets.
    /// Where transparent huge pages are off the advice does nothing, and where the heap cannot grow (its
    /// address range taken) nothing is advised.
    static func backHeapWithHugePages() {
        #if canImport(CMalloc) && canImport(Glibc)
        guard let before = sbrk(0) else { return }
        let block = mmapThreshold - hugePage
        var blocks: [UnsafeMutableRawPointer] = []
        blocks.reserveCapacity(hugePageHeap / block + 1)
        while blocks.count * block < hugePageHeap, let pointer = malloc(block) { blocks.append(pointer) }
        for pointer in blocks { free(pointer) }
        guard let after = sbrk(0) else { return }
        let start = (Int(bitPattern: before) + hugePage - 1) & ~(hugePage - 1)
        let end = Int(bitPattern: after) & ~(hugePage - 1)
        guard end > start, let range = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(range, end - start, MADV_HUGEPAGE)
        #endif
    }
}
