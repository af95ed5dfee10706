import Vapor

extension Request {
    private struct PathKey: StorageKey { typealias Value = String }

    /// The request's path, worked out once: Vapor's `url.path` rebuilds it from URL components on every call, which
    /// the profile of a compliance check showed as several per cent of the request when read by each middleware.
    var path: String {
        if let path = storage[PathKey.self] { return path }
        let path = url.path
        storage[PathKey.self] = path
        return path
    }
}
