public import JSONScan
import Parquet
import Synchronization

extension SchemaInferrer {
    /// Observes `count` records on up to `threads` threads (counting the caller's), each taking a
    /// contiguous share, and merges the shares in order: the same fields, types and field order as
    /// observing them one after another on one thread.
    ///
    /// - Parameter record: the bytes of record `index`, valid until this returns; called from several
    ///   threads at once.
    /// - Returns: the indices, ascending, of the records that were not exactly one JSON object
    ///   (``observe(_:scanOptions:)``).
    @discardableResult
    public mutating func observe(
        count: Int,
        threads: Int,
        scanOptions: JSONScanOptions = JSONScanOptions(),
        record: (Int) -> UnsafeRawBufferPointer
    ) -> [Int] {
        // Below a few thousand records a thread costs more than it saves.
        let shares = max(1, min(threads, count / 4_096))
        guard shares > 1 else {
            return (0..<count).filter { !self.observe(record($0), scanOptions: scanOptions) }
        }
        let bounds = (0...shares).map { $0 * count / shares }
        let results = Mutex<[(inferrer: SchemaInferrer, others: [Int])?]>(Array(repeating: nil, count: shares))
        let limit = self.maximumObjectFields
        withoutActuallyEscaping(record) { record in
            // Each thread reads only its own share of the records, through the caller's accessor.
            nonisolated(unsafe) let record = record
            let observeShare: @Sendable (Int) -> Void = { share in
                var inferrer = SchemaInferrer()
                inferrer.maximumObjectFields = limit
                var others: [Int] = []
                for index in bounds[share]..<bounds[share + 1]
                where !inferrer.observe(record(index), scanOptions: scanOptions) {
                    others.append(index)
                }
                results.withLock { $0[share] = (inferrer, others) }
            }
            let workers = (1..<shares).compactMap { share in WorkerThread { observeShare(share) } }
            observeShare(0)
            for worker in workers { worker.join() }
            // A share whose thread could not start is observed here.
            for share in 1..<shares where results.withLock({ $0[share] == nil }) { observeShare(share) }
        }
        var others: [Int] = []
        for share in results.withLock({ $0 }) {
            guard let share else { continue }
            self.merge(share.inferrer)
            others += share.others
        }
        return others
    }
}
