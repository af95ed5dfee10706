import NIOCore
import NIOPosix
import RecoupServer

// `recoup serve`: Swift concurrency runs on the server's own event loops, so an async route handler does not hop
// to another thread pool and back (docs/performance.md: the API's generated routes are async).
if CommandLine.arguments.dropFirst().first == "serve" {
    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}
await RecoupCommand.runAndExit(arguments: Array(CommandLine.arguments.dropFirst()))
