using System.Runtime.CompilerServices;

namespace AutoGrad.Tests.Support;

/// <summary>
/// Runs before any test: operations allocate their results without zeroing them (for speed), so the suite fills
/// those results with NaN first. Any kernel that leaves an element unwritten then shows up as a NaN in a test
/// instead of as a zero that happened to be right.
/// </summary>
internal static class PoisonUninitializedMemory
{
    [ModuleInitializer]
    internal static void Enable()
    {
        Tensor<double>.PoisonUninitializedMemory = true;
        Tensor<float>.PoisonUninitializedMemory = true;
    }
}
