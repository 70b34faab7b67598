import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What to undo when the build is stopped with SIGINT (Ctrl-C), SIGTERM (a CI job cancelled) or
/// SIGHUP: the actions registered with `onStop` run, then the signal takes its usual effect, so
/// the exit status still says which signal stopped the build. SIGKILL cannot be caught; what it
/// leaves behind is recognised and removed by the next build.
///
/// `install` runs first thing in `main`, before any other thread exists: it blocks the three
/// signals, which every later thread inherits, and one thread takes them with `sigwait`, where
/// the actions can do anything (a signal handler could only set a flag).
public final class Interruption: @unchecked Sendable {
    public static let shared = Interruption()

    private let lock = NSLock()
    /// Held shared while a step that an action undoes runs (two threads may write files at
    /// once), and exclusively by the stop from its start to the end.
    private let stopping = SharedLock()
    private var actions: [Int: @Sendable () -> Void] = [:]
    private var nextToken = 0
    private static let signals = [SIGINT, SIGTERM, SIGHUP]

    /// Registers `action`; returns the token that `cancel` takes once it is no longer needed.
    public func onStop(_ action: @escaping @Sendable () -> Void) -> Int {
        lock.withLock {
            nextToken += 1
            actions[nextToken] = action
            return nextToken
        }
    }

    public func cancel(_ token: Int) {
        lock.withLock { _ = actions.removeValue(forKey: token) }
    }

    /// Runs `body` whole before a stop's actions, or not at all after them: a file written into
    /// a staging folder cannot bring the folder back once the stop has removed it.
    public func uninterrupted<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        stopping.lockShared()
        defer { stopping.unlock() }
        return try body()
    }

    /// Takes the signals from here on; without it (in tests) signals act as usual.
    public func install() {
        var set = sigset_t()
        sigemptyset(&set)
        for number in Self.signals { sigaddset(&set, number) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let waiter = Thread { [self, set] in
            var set = set
            var number: Int32 = 0
            guard sigwait(&set, &number) == 0 else { return }
            stopping.lockExclusive()  // never released: the process ends below
            let pending = lock.withLock { actions.sorted { $0.key < $1.key }.map(\.value) }
            for action in pending { action() }
            // The usual effect: the process ends by the signal.
            signal(number, SIG_DFL)
            var only = sigset_t()
            sigemptyset(&only)
            sigaddset(&only, number)
            pthread_sigmask(SIG_UNBLOCK, &only, nil)
            raise(number)
        }
        waiter.name = "signals"
        waiter.start()
    }
}

/// A reader-writer lock (pthread's): many holders of the shared side at once, or one of the
/// exclusive side.
private final class SharedLock: @unchecked Sendable {
    private let lock = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)

    init() { pthread_rwlock_init(lock, nil) }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    func lockShared() { pthread_rwlock_rdlock(lock) }
    func lockExclusive() { pthread_rwlock_wrlock(lock) }
    func unlock() { pthread_rwlock_unlock(lock) }
}
