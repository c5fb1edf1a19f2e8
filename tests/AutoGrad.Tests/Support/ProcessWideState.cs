using Xunit;

namespace AutoGrad.Tests.Support;

/// <summary>
/// Tests that assert on a process-wide setting (<see cref="AutoGrad.Kernels.Parallelism.MaxThreads"/>) or measure
/// process-wide counters (bytes allocated by the caller and the worker threads). xUnit runs this collection after all
/// other tests, one test at a time, so no other test changes the setting between a test's write and its read, and no
/// other test's allocations are counted. (Tests elsewhere may set the thread limit around a body whose bits must not
/// depend on it; they assert nothing about the limit itself.)
/// </summary>
[CollectionDefinition(nameof(ProcessWideState), DisableParallelization = true)]
public sealed class ProcessWideState;
