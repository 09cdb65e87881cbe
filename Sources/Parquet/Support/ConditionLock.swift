#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A mutex with one condition variable, for the hand-offs between the conversion threads and the file
/// sink's writing thread.
///
/// `@unchecked Sendable`: the pthread mutex and condition are themselves the synchronization; the state
/// they guard lives in the owner, which touches it only inside ``withLock(_:)``.
package final class ConditionLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    package init() {
        pthread_mutex_init(self.mutex, nil)
        pthread_cond_init(self.condition, nil)
    }

    deinit {
        pthread_cond_destroy(self.condition)
        pthread_mutex_destroy(self.mutex)
        self.condition.deallocate()
        self.mutex.deallocate()
    }

    /// Runs `body` holding the lock; `body` may call ``wait()``.
    package func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        pthread_mutex_lock(self.mutex)
        defer { pthread_mutex_unlock(self.mutex) }
        return try body()
    }

    /// Releases the lock until ``broadcast()``; call only inside ``withLock(_:)``, in a loop over the
    /// condition awaited.
    package func wait() {
        pthread_cond_wait(self.condition, self.mutex)
    }

    /// Wakes every waiter.
    package func broadcast() {
        pthread_cond_broadcast(self.condition)
    }
}

/// A plain thread running one closure, joined explicitly.
package final class WorkerThread {
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    #if canImport(Darwin)
    private var thread: pthread_t?
    #else
    private var thread = pthread_t()
    #endif
    private var joined = false

    /// Starts a thread running `body`; nil when the system refuses another thread.
    package init?(_ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        let status = pthread_create(
            &self.thread,
            nil,
            { context in
                #if canImport(Darwin)
                Unmanaged<Body>.fromOpaque(context).takeRetainedValue().run()
                #else
                // pthread_create passes the non-nil context given below.
                Unmanaged<Body>.fromOpaque(context!).takeRetainedValue().run()
                #endif
                return nil
            },
            context
        )
        guard status == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            return nil
        }
    }

    /// Waits for the closure to return.
    package func join() {
        guard !self.joined else { return }
        self.joined = true
        #if canImport(Darwin)
        if let thread = self.thread { pthread_join(thread, nil) }
        #else
        pthread_join(self.thread, nil)
        #endif
    }
}
