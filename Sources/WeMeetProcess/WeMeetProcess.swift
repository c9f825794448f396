/// This module owns child processes for the tests and the benchmarks: `posix_spawn` and
/// `waitpid` without Foundation's `Process` (whose pipes leak into every child spawned at
/// the same moment), with output to files. It ships in nothing.
